import { describe, expect, it } from 'vitest';
import { describeStart, planBackends, type DeviceProbe } from './backendOrder';

describe('planBackends', () => {
  it('auto starts on wasm and makes each hardware GPU backend a candidate to time, wasm last', () => {
    const both = planBackends('auto', { webgpu: 'hardware', webgl: 'hardware', detail: [] });
    expect(both.order).toEqual(['wasm', 'cpu']);
    expect(both.candidates).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(both.why).toContain('webgpu and webgl are candidates');
    expect(planBackends('auto', { webgpu: 'absent', webgl: 'hardware', detail: [] }).candidates).toEqual([
      'webgl',
      'wasm',
    ]);
  });

  it('auto skips software adapters and says why, unless the test flag allows them', () => {
    const probe: DeviceProbe = {
      webgpu: 'software',
      webgl: 'software',
      detail: ['WebGPU adapter is software (swiftshader)', 'WebGL renderer is software (SwiftShader)'],
    };
    const plan = planBackends('auto', probe);
    expect(plan.order).toEqual(['wasm', 'cpu']);
    expect(plan.candidates).toEqual([]);
    expect(plan.why).toContain('SwiftShader');
    expect(plan.why).toContain('wasm is fastest');
    const flagged = planBackends('auto', probe, true);
    expect(flagged.candidates).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(flagged.why).toContain('software adapters allowed for testing');
  });

  it('an explicit choice has no candidates to time', () => {
    expect(planBackends('webgl', { webgpu: 'hardware', webgl: 'hardware', detail: [] }, true).candidates).toEqual([]);
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
