// WGSL snippets shared by the kernels. Every kernel reads its shapes and scalars from a read-only
// `p: array<i32>` binding (floats bit-cast), so one compiled pipeline serves every shape.

/** Workgroup size of the one-thread-per-element kernels. */
export const WG = 64;

/**
 * The entry point of a one-thread-per-element kernel over `n` elements: `i` is the flat index
 * (workgroups spread over x and y past 65535), and threads past `n` return.
 */
export function elementMain(nExpr: string, body: string): string {
  return /* wgsl */ `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = i32((wid.y * nwg.x + wid.x) * ${WG}u + lid);
  if (i >= ${nExpr}) { return; }
${body}
}`;
}

/**
 * NaN tests by bit pattern: WGSL lets implementations assume floats are finite, so `v != v` may
 * be folded away. pf(k) reads p[k] as a float.
 */
export const COMMON = /* wgsl */ `
fn isnan_(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
// Private variables, not constants: WGSL rejects a NaN or infinite constant expression.
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nan_() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf_() -> f32 { return bitcast<f32>(INF_BITS); }
fn truthy(v: f32) -> bool { return v != 0.0 || isnan_(v); }
`;

/** Declares `p` (parameters) at binding `index`, and pf(k). */
export function paramsBinding(index: number): string {
  return `@group(0) @binding(${index}) var<storage, read> p: array<i32>;
fn pf(k: i32) -> f32 { return bitcast<f32>(p[k]); }`;
}

/** Number of workgroups for `n` threads of {@link WG}. */
export const groupsFor = (n: number) => Math.ceil(n / WG);
