// The readers behind the health-check facts: schedules, durations, the export's date and attested settings.
import { describe, expect, it } from 'vitest';
import { clock, dailyStartMinutes, dateMs, durationHours, referenceTime, sandboxSettings } from '../../src/inventory/facts/health-settings.js';
import { destinationKind, runMinutes, smallestGap } from '../../src/inventory/facts/health-flow-facts.js';
import type { Inventory } from '../../src/inventory/inventory.js';

const inv = (raw: Record<string, unknown>): Inventory => ({ manifests: [{ file: 'manifest.json', sandboxes: [], raw }] }) as unknown as Inventory;

describe('schedules', () => {
  it('reads a daily start from Quartz cron, five-field cron and HH:MM', () => {
    expect(dailyStartMinutes('0 0 2 * * ?')).toBe(120);
    expect(dailyStartMinutes('0 30 23 * * ?')).toBe(23 * 60 + 30);
    expect(dailyStartMinutes('15 4 * * *')).toBe(4 * 60 + 15);
    expect(dailyStartMinutes('01:05')).toBe(65);
    expect(dailyStartMinutes('0 0/30 * * * ?')).toBeUndefined();
    expect(dailyStartMinutes('25:00')).toBeUndefined();
  });

  it('lists the run times of a recurring schedule over one day', () => {
    expect(runMinutes(90, 1440)).toEqual([90]);
    expect(runMinutes(30, 360)).toEqual([30, 390, 750, 1110]);
    // 7 hours does not divide a day: over many days the runs reach every hour.
    expect(runMinutes(0, 420)).toHaveLength(24);
  });

  it('measures the gap before and after the segmentation start, across midnight', () => {
    expect(smallestGap([90], 120, 'before')).toBe(30);
    expect(smallestGap([1410], 30, 'before')).toBe(60);
    expect(smallestGap([150, 600], 120, 'after')).toBe(30);
    expect(smallestGap([60], 120, 'after')).toBe(1380);
    expect(clock(1500)).toBe('01:00');
  });
});

describe('durations and dates', () => {
  it('turns ISO-8601 durations into hours (months 30 days, years 365)', () => {
    expect(durationHours('P30D')).toBe(720);
    expect(durationHours('P3M')).toBe(3 * 720);
    expect(durationHours('P1Y')).toBe(8760);
    expect(durationHours('PT12H')).toBe(12);
    expect(durationHours('P2W')).toBe(336);
    expect(durationHours('P')).toBeUndefined();
    expect(durationHours('30 days')).toBeUndefined();
  });

  it('reads dates as days, ISO timestamps, epoch ms and epoch seconds', () => {
    const day = Date.parse('2026-06-30T00:00:00Z');
    expect(dateMs('2026-06-30')).toBe(day);
    expect(dateMs('2026-06-30T00:00:00Z')).toBe(day);
    expect(dateMs(day)).toBe(day);
    expect(dateMs(day / 1000)).toBe(day);
    expect(dateMs(String(day))).toBe(day);
    expect(dateMs('soon')).toBeUndefined();
  });
});

describe('the date of the export', () => {
  it('is AEP_GUARDRAILS_NOW when set, else the manifest pulledAt, never the clock', () => {
    const manifest = inv({ pulledAt: '2026-11-20T09:00:00Z' });
    expect(referenceTime(manifest, '2027-01-02')).toEqual({ ms: Date.parse('2027-01-02T00:00:00Z'), source: 'AEP_GUARDRAILS_NOW=2027-01-02' });
    expect(referenceTime(manifest, undefined)).toEqual({ ms: Date.parse('2026-11-20T09:00:00Z'), source: 'pulledAt 2026-11-20T09:00:00Z in manifest.json' });
    expect(referenceTime(inv({}), undefined)).toEqual({});
  });
});

describe('attested sandbox settings', () => {
  it('reads linking rules, pseudonymous expiration, the segmentation schedule, Query Service and private destinations', () => {
    const s = sandboxSettings(
      inv({
        attested: {
          sandboxes: {
            prod: {
              uniqueNamespaces: ['CRM'],
              pseudonymousProfileExpiration: 14,
              segmentationSchedule: { schedule: '0 0 3 * * ?', state: 'active' },
              queryService: { schedules: [{ id: 's1' }], alerts: [{ assetId: 's1', alertType: 'failure' }] },
              privateDestinations: ['a', 'b'],
            },
          },
        },
      }),
      'prod',
    );
    expect(s).toMatchObject({
      uniqueNamespaces: ['CRM'],
      pseudonymousProfileExpiration: true,
      pseudonymousProfileExpirationDays: 14,
      segmentationStartMinutes: 180,
      queryService: { schedules: [{ id: 's1' }], alertSubscriptions: [{ assetId: 's1', alertType: 'failure' }] },
      privateDestinations: ['a', 'b'],
    });
  });

  it('tells "attested as off" from "not attested"', () => {
    const off = sandboxSettings(inv({ attested: { sandboxes: { prod: { pseudonymousProfileExpiration: { enabled: false }, segmentationSchedule: { schedule: '0 0 3 * * ?', state: 'inactive' } } } } }), 'prod');
    expect(off.pseudonymousProfileExpiration).toBe(false);
    expect(off.segmentationStartMinutes).toBeNull();
    const none = sandboxSettings(inv({ attested: { sandboxes: { dev: {} } } }), 'prod');
    expect(none).toEqual({});
    expect(sandboxSettings(inv({ attested: 'yes' }), 'prod')).toEqual({});
  });
});

describe('destination kinds', () => {
  it('recognises Adobe Target and Custom Personalization by connection spec name', () => {
    expect(destinationKind(['Adobe Target'])).toBe('adobe-target');
    expect(destinationKind(['Custom Personalization With Attributes'])).toBe('custom-personalization');
    expect(destinationKind(['Custom personalisation'])).toBe('custom-personalization');
    expect(destinationKind(['Amazon S3'])).toBe('other');
  });
});

describe('hostile names', () => {
  it('a sandbox called constructor or __proto__ reads no inherited settings', () => {
    const manifest = inv(JSON.parse('{"attested":{"sandboxes":{"prod":{"uniqueNamespaces":[]}}}}') as Record<string, unknown>);
    expect(sandboxSettings(manifest, 'constructor')).toEqual({});
    expect(sandboxSettings(manifest, '__proto__')).toEqual({});
    expect(sandboxSettings(manifest, 'toString')).toEqual({});
  });
});
