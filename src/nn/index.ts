// Filled in by the nn work; see issue 3.
export {};
