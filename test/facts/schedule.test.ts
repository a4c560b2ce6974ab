// Schedules turned into numbers the rules measure: export hours of an activation, minutes between source runs.
import { describe, expect, it } from 'vitest';
import { exportHours, identityNamespaceOf } from '../../src/inventory/facts/activation-facts.js';
import { intervalMinutes } from '../../src/inventory/facts/ingestion-facts.js';
import { scheduleHours } from '../../src/inventory/facts/flow-facts.js';

describe('exportHours', () => {
  it('places a daily export on its start hour', () => {
    expect(exportHours({ frequency: 'DAILY', startTime: '03:30' })).toEqual([3]);
  });
  it('repeats an every-N-hours export around the clock from its start', () => {
    expect(exportHours({ frequency: 'EVERY_8_HOURS', startTime: '20:00' })).toEqual([4, 12, 20]);
    expect(exportHours({ frequency: 'EVERY_3_HOURS', startTime: '02:00' })).toEqual([2, 5, 8, 11, 14, 17, 20, 23]);
    expect(exportHours({ frequency: 'EVERY_5_HOURS', startTime: '00:00' })).toHaveLength(24);
  });
  it('keeps one-off exports apart and gives up without a start time or a known frequency', () => {
    expect(exportHours({ frequency: 'ONCE', startTime: '01:00' })).toBe('once');
    expect(exportHours({ frequency: 'DAILY' })).toBeUndefined();
    expect(exportHours({ frequency: 'HOURLY', startTime: '01:00' })).toBeUndefined();
    expect(exportHours(undefined)).toBeUndefined();
  });
});

describe('intervalMinutes', () => {
  it('reads frequency and interval (a string in Flow Service examples)', () => {
    expect(intervalMinutes({ frequency: 'minute', interval: '15' })).toBe(15);
    expect(intervalMinutes({ frequency: 'hour', interval: 2 })).toBe(120);
    expect(intervalMinutes({ frequency: 'day' })).toBe(1440);
    expect(intervalMinutes({ frequency: 'week', interval: 1 })).toBe(10080);
  });
  it('has no interval for one-off, missing or nonsense schedules', () => {
    expect(intervalMinutes({ frequency: 'once' })).toBeUndefined();
    expect(intervalMinutes({ frequency: 'minute', interval: 0 })).toBeUndefined();
    expect(intervalMinutes(null)).toBeUndefined();
  });
});

describe('scheduleHours and identity targets', () => {
  it('gives the hours between activations', () => {
    expect(scheduleHours('DAILY')).toBe(24);
    expect(scheduleHours('EVERY_1_HOURS')).toBe(1);
    expect(scheduleHours('ONCE')).toBeUndefined();
  });
  it('reads the namespace of an identity mapping target in its three spellings', () => {
    expect(identityNamespaceOf('identityMap.external_id')).toBe('external_id');
    expect(identityNamespaceOf('xdm: identityMap.ECID')).toBe('ECID');
    expect(identityNamespaceOf('Identity: GAID')).toBe('GAID');
  });
});
