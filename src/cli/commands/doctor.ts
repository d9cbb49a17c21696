import { backendInfo } from '../../backend/native/index.js';
import type { Command } from '../command.js';

/** `nabla doctor`: which backend runs the kernels, and why native is unavailable when it is. */
export const doctor: Command = {
  name: 'doctor',
  summary: 'show the active backend, oneDNN version, CPU ISA and threads',
  usage: 'nabla doctor [--json]\n\nPrints which kernels nabla uses here and, when the native oneDNN backend is unavailable, why.',
  async run(args) {
    const info = backendInfo();
    if (args.includes('--json')) {
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
