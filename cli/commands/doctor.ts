import { parseArgs } from 'node:util';
import { backendInfo } from '../../src/backend/native/index.js';
import { type Command, UsageError } from '../command.js';

/** `nabla doctor`: which backend runs the kernels, and why native is unavailable when it is. */
export const doctor: Command = {
  name: 'doctor',
  summary: 'show the active backend, oneDNN version, CPU ISA and threads',
  usage: 'nabla doctor [--json]\n\nPrints which kernels nabla uses here and, when the native oneDNN backend is unavailable, why.',
  async run(args) {
    let json: boolean;
    try {
      json = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: false }).values.json ?? false;
    } catch (e) {
      throw new UsageError(`${String((e as Error).message).split('\n')[0]} (usage: nabla doctor [--json])`);
    }
    const info = backendInfo();
    if (json) {
      console.log(JSON.stringify(info));
      return 0;
    }
    console.log(`node           ${process.version} (${process.platform}-${process.arch})`);
    console.log(`active backend ${info.active}`);
    if (info.nativeAvailable) {
      console.log(`oneDNN         ${info.onednn}`);
      console.log(`CPU ISA        ${info.isa}`);
      console.log(`threads        ${info.threads}`);
    } else {
      console.log(`native         unavailable: ${info.reason}`);
    }
    return 0;
  },
};
