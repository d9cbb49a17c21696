// Filled in by the optim work; see issue 3.
export {};
