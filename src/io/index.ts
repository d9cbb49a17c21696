// Filled in by the io work; see issue 3.
export {};
