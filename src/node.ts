/**
 * nabla's Node.js-only entry point (`import … from 'nabla/node'`): file-backed datasets,
 * checkpoint files and anything else that needs `node:` modules. The core (`nabla`) stays
 * browser-safe.
 */
export {};
