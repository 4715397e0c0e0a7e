import { describe, expect, it } from 'vitest';
import { defaultRace, runRace } from '../../../core/optim/race';
import { quadraticSurface, SURFACE_IDS, surfaceById } from '../../../core/optim/surfaces';
import { checkDrafts, draftsFromSettings, FIELD_SPECS, parseNumberField, RACER_FIELDS, STEPS_SPEC } from './raceForm';
import { RACER_KINDS } from './racerStyle';

describe('parseNumberField', () => {
  const lr = FIELD_SPECS.lr;

  it('accepts decimals and scientific notation', () => {
    expect(parseNumberField(lr, '0.01')).toEqual({ ok: true, value: 0.01 });
    expect(parseNumberField(lr, ' 1e-3 ')).toEqual({ ok: true, value: 0.001 });
    expect(parseNumberField(lr, '.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseNumberField(FIELD_SPECS.decayRate, '-0.8')).toEqual({ ok: true, value: -0.8 });
  });

  it('says what is wrong with anything else', () => {
    expect(parseNumberField(lr, '')).toEqual({ ok: false, error: 'Learning rate η is required.' });
    expect(parseNumberField(lr, 'fast')).toEqual({
      ok: false,
      error: 'Learning rate η must be a number, like 0.01 or 1e-3.',
    });
    for (const raw of ['0x10', 'Infinity', '1/2', '1e', '--1']) expect(parseNumberField(lr, raw).ok, raw).toBe(false);
    expect(parseNumberField(lr, '1e400')).toEqual({ ok: false, error: 'Learning rate η is too large.' });
    expect(parseNumberField(lr, '-0.1')).toEqual({
      ok: false,
      error: 'Learning rate η must be at least 0 and at most 10.',
    });
    expect(parseNumberField(STEPS_SPEC, '2.5')).toEqual({ ok: false, error: 'Steps must be a whole number.' });
  });

  it('keeps betas and momentum strictly below 1', () => {
    expect(parseNumberField(FIELD_SPECS.beta2, '0.999').ok).toBe(true);
    expect(parseNumberField(FIELD_SPECS.beta2, '1')).toEqual({
      ok: false,
      error: 'β₂ must be at least 0 and below 1.',
    });
    expect(parseNumberField(FIELD_SPECS.momentum, '1').ok).toBe(false);
    expect(parseNumberField(FIELD_SPECS.lr, '10').ok).toBe(true); // an inclusive maximum
  });
});

describe('drafts', () => {
  it('give every racer the fields it has, and only those', () => {
    const drafts = draftsFromSettings(defaultRace('quadratic'));
    for (const kind of RACER_KINDS)
      expect(Object.keys(drafts.racers[kind]).sort()).toEqual([...RACER_FIELDS[kind]].sort());
    expect(drafts.steps).toBe('200');
    expect(drafts.racers.sgd.lr).toBe('0.035');
    expect(drafts.racers.adam).toEqual({ lr: '0.1', beta1: '0.9', beta2: '0.999' });
  });

  it('round-trip the default race exactly: the form fills in the core defaults', () => {
    for (const id of SURFACE_IDS) {
      const surface = surfaceById(id);
      const race = defaultRace(id);
      const { settings, errors } = checkDrafts(surface, draftsFromSettings(race));
      expect(errors).toEqual({});
      expect(settings!.steps).toBe(race.steps);
      // Same trajectories, bit for bit, as the core's own default race.
      expect(runRace(surface, settings!.racers, { steps: race.steps })).toEqual(
        runRace(surface, race.racers, { steps: race.steps }).map((t, i) => ({ ...t, racer: settings!.racers[i] })),
      );
    }
  });

  it('give no settings while any field is invalid, and a message per bad field', () => {
    const drafts = draftsFromSettings(defaultRace('quadratic'));
    drafts.racers.adam.lr = 'fast';
    drafts.racers.adamw.beta2 = '1';
    drafts.steps = '0';
    const { settings, errors } = checkDrafts(quadraticSurface(), drafts);
    expect(settings).toBeNull();
    expect(errors).toEqual({
      steps: 'Steps must be at least 1 and at most 5000.',
      'adam.lr': 'Learning rate η must be a number, like 0.01 or 1e-3.',
      'adamw.beta2': 'β₂ must be at least 0 and below 1.',
    });
  });

  it('build each racer with the typed values', () => {
    const drafts = draftsFromSettings(defaultRace('quadratic'));
    drafts.racers.momentum.momentum = '0.5';
    drafts.racers.adafactor.beta1 = '0.9';
    drafts.racers.adafactor.decayRate = '-0.5';
    const { settings } = checkDrafts(quadraticSurface(), drafts);
    expect(settings!.racers[1]).toEqual({ kind: 'momentum', lr: 0.035, momentum: 0.5 });
    expect(settings!.racers[4]).toEqual({ kind: 'adafactor', lr: 0.1, beta1: 0.9, decayRate: -0.5 });
  });
});
