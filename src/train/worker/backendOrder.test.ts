import { describe, expect, it } from 'vitest';
import { describeStart, planBackends } from './backendOrder';

describe('planBackends', () => {
  it('auto prefers hardware WebGPU, then hardware WebGL, then wasm and cpu', () => {
    expect(planBackends('auto', { webgpu: 'hardware', webgl: 'hardware', detail: [] }).order).toEqual([
      'webgpu',
      'webgl',
      'wasm',
      'cpu',
    ]);
    expect(planBackends('auto', { webgpu: 'absent', webgl: 'hardware', detail: [] }).order).toEqual([
      'webgl',
      'wasm',
      'cpu',
    ]);
  });

  it('auto skips software adapters and says why', () => {
    const plan = planBackends('auto', {
      webgpu: 'software',
      webgl: 'software',
      detail: ['WebGPU adapter is software (swiftshader)', 'WebGL renderer is software (SwiftShader)'],
    });
    expect(plan.order).toEqual(['wasm', 'cpu']);
    expect(plan.why).toContain('SwiftShader');
    expect(plan.why).toContain('wasm is fastest');
  });

  it('an explicit choice goes first, with fallbacks that never include WebGPU', () => {
    expect(planBackends('webgl', null).order).toEqual(['webgl', 'wasm', 'cpu']);
    expect(planBackends('webgpu', null).order).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(planBackends('cpu', null).order).toEqual(['cpu', 'webgl', 'wasm']);
  });

  it('the badge reason names each failure and the fallback', () => {
    const plan = planBackends('webgpu', null);
    expect(describeStart(plan, ['webgpu did not start'], 'webgl')).toBe(
      'requested webgpu; webgpu did not start; fell back to webgl',
    );
    expect(describeStart(plan, [], 'webgpu')).toBe('requested webgpu');
  });
});
