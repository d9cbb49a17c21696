// Filled in by the data work; see issue 3.
export {};
