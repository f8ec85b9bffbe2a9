// The demo store's simulated app: feature flags (scope 1) and global state (scope 2) of a
// delivery fleet — vehicles reporting position and battery, drivers starting and ending
// shifts, orders created and delivered, regional counters, flags flipped and rolled out.
// Deterministic for a seed: the same seed and times give the same writes.
import type { BatchOp } from '../../engine/store';
import type { StateValue } from '../../engine/format/value';
import { prng } from './prng';

export const FEATURE_FLAG = 1;
export const GLOBAL_STATE = 2;

const s = (value: string): StateValue => ({ kind: 'string', value });
const i = (value: number): StateValue => ({ kind: 'int', value: BigInt(Math.round(value)) });
const d = (value: number): StateValue => ({ kind: 'double', value });
const b = (value: boolean): StateValue => ({ kind: 'bool', value });
const map = (entries: Record<string, StateValue>): StateValue => ({ kind: 'map', value: new Map(Object.entries(entries)) });
const list = (items: StateValue[]): StateValue => ({ kind: 'list', value: items });

const REGIONS = [
  { id: 'ams', lat: 52.37, lon: 4.9 },
  { id: 'ber', lat: 52.52, lon: 13.4 },
  { id: 'lis', lat: 38.72, lon: -9.14 },
  { id: 'lon', lat: 51.51, lon: -0.13 },
  { id: 'mad', lat: 40.42, lon: -3.7 },
  { id: 'par', lat: 48.86, lon: 2.35 },
  { id: 'rom', lat: 41.9, lon: 12.5 },
  { id: 'waw', lat: 52.23, lon: 21.01 },
];
const STATUSES = ['idle', 'en-route', 'delivering', 'returning', 'charging'];
const FIRMWARE = ['4.2.1', '4.2.3', '4.3.0', '4.3.1'];
const DRIVERS = ['Ana', 'Bram', 'Chloé', 'Dario', 'Eva', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kasia', 'Luca', 'Mei', 'Nils', 'Olga', 'Pau'];

interface Flag {
  key: string;
  value: () => StateValue;
}

interface Vehicle {
  id: string;
  region: (typeof REGIONS)[number];
  lat: number;
  lon: number;
  battery: number;
  odometer: number;
  status: string;
  driver: string | null;
  firmware: string;
}

export interface FleetOptions {
  seed?: number;
  vehicles?: number;
  /** Number of the first order created (the live writer starts past the generated ones). */
  firstOrder?: number;
}

export class FleetSimulator {
  private readonly rnd: () => number;
  private readonly vehicles: Vehicle[] = [];
  private readonly orders = new Map<string, { vehicle: Vehicle; state: string }>();
  private readonly flags: Flag[];
  private nextOrder = 1000;
  private firmwareWave = 0;

  constructor(options: FleetOptions = {}) {
    this.rnd = prng(options.seed ?? 20240101);
    this.nextOrder = options.firstOrder ?? 1000;
    const n = options.vehicles ?? 120;
    for (let k = 0; k < n; k++) {
      const region = REGIONS[k % REGIONS.length];
      this.vehicles.push({
        id: `VH-${String(k + 1).padStart(4, '0')}`,
        region,
        lat: region.lat + (this.rnd() - 0.5) * 0.2,
        lon: region.lon + (this.rnd() - 0.5) * 0.3,
        battery: 40 + Math.floor(this.rnd() * 60),
        odometer: Math.round(5000 + this.rnd() * 60000),
        status: 'idle',
        driver: null,
        firmware: FIRMWARE[0],
      });
    }
    const pick = <T>(xs: T[]) => xs[Math.floor(this.rnd() * xs.length)];
    this.flags = [
      { key: 'checkout.express_pay', value: () => b(this.rnd() < 0.6) },
      { key: 'dispatch.algorithm', value: () => s(pick(['greedy', 'batched-v2', 'batched-v3'])) },
      { key: 'dispatch.batch_size', value: () => i(2 + Math.floor(this.rnd() * 6)) },
      { key: 'map.tile_provider', value: () => s(pick(['osm', 'vector-v2'])) },
      { key: 'routing.avoid_tolls', value: () => b(this.rnd() < 0.3) },
      { key: 'telemetry.sample_rate', value: () => d(Math.round(this.rnd() * 100) / 100) },
      { key: 'telemetry.upload_interval_s', value: () => i(pick([15, 30, 60, 120])) },
      { key: 'ui.dark_mode_default', value: () => b(this.rnd() < 0.5) },
      { key: 'ui.new_order_card', value: () => b(this.rnd() < 0.5) },
      { key: 'pricing.surge_multiplier_cap', value: () => d(1 + Math.round(this.rnd() * 20) / 10) },
      { key: 'experiments.eta_model', value: () => s(pick(['control', 'gbm-2024', 'transformer-small'])) },
      ...['battery_saver', 'live_chat', 'photo_proof', 'offline_maps', 'auto_reassign', 'voice_nav'].map((f) => ({
        key: `rollout.${f}.percent`,
        value: () => i(pick([0, 1, 5, 10, 25, 50, 100])),
      })),
      ...REGIONS.flatMap((r) => [
        { key: `region.${r.id}.surge_pricing`, value: () => b(this.rnd() < 0.4) },
        { key: `region.${r.id}.max_orders_per_vehicle`, value: () => i(1 + Math.floor(this.rnd() * 4)) },
      ]),
    ];
  }

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }

  private vehicleKey(v: Vehicle, field: string): string {
    return `vehicle/${v.id}/${field}`;
  }

  private location(v: Vehicle): StateValue {
    return map({ lat: d(Math.round(v.lat * 1e5) / 1e5), lon: d(Math.round(v.lon * 1e5) / 1e5), heading: i(Math.floor(this.rnd() * 360)) });
  }

  /** The first state: every flag, every vehicle, every region. */
  setup(): BatchOp[] {
    const ops: BatchOp[] = [];
    for (const f of this.flags) ops.push({ scope: FEATURE_FLAG, key: f.key, value: f.value() });
    ops.push({ scope: GLOBAL_STATE, key: 'app/build', value: s('2024.1.0') });
    ops.push({
      scope: GLOBAL_STATE,
      key: 'app/config',
      value: map({ api: s('https://api.fleet.example'), retries: i(3), timeout_s: d(7.5), regions: list(REGIONS.map((r) => s(r.id))) }),
    });
    for (const v of this.vehicles) {
      ops.push({ scope: GLOBAL_STATE, key: this.vehicleKey(v, 'status'), value: s(v.status) });
      ops.push({ scope: GLOBAL_STATE, key: this.vehicleKey(v, 'battery_pct'), value: i(v.battery) });
      ops.push({ scope: GLOBAL_STATE, key: this.vehicleKey(v, 'location'), value: this.location(v) });
      ops.push({ scope: GLOBAL_STATE, key: this.vehicleKey(v, 'odometer_km'), value: d(v.odometer) });
      ops.push({ scope: GLOBAL_STATE, key: this.vehicleKey(v, 'firmware'), value: s(v.firmware) });
    }
    for (const r of REGIONS) {
      ops.push({ scope: GLOBAL_STATE, key: `region/${r.id}/active_vehicles`, value: i(0) });
      ops.push({ scope: GLOBAL_STATE, key: `region/${r.id}/open_orders`, value: i(0) });
      ops.push({ scope: GLOBAL_STATE, key: `region/${r.id}/eta_p50_s`, value: d(600) });
    }
    return ops;
  }

  /**
   * One event of the simulated app at time `t` (µs): a batch of writes that share a timestamp.
   * `activity` (0..1) scales how busy the fleet is (the time of day).
   */
  step(activity = 1): BatchOp[] {
    const r = this.rnd();
    if (r < 0.5) return this.movement(activity);
    if (r < 0.66) return this.statusChange();
    if (r < 0.72) return this.shiftChange(activity);
    if (r < 0.8) return this.orderEvent();
    if (r < 0.975) return this.regionCounters();
    if (r < 0.995) return this.flagChange();
    return this.firmwareRollout();
  }

  private movement(activity: number): BatchOp[] {
    const v = this.pick(this.vehicles);
    const moving = v.status === 'en-route' || v.status === 'delivering' || v.status === 'returning';
    const km = moving ? 0.2 + this.rnd() * 2 * activity : 0;
    v.lat += (this.rnd() - 0.5) * 0.01 * (moving ? 1 : 0.1);
    v.lon += (this.rnd() - 0.5) * 0.015 * (moving ? 1 : 0.1);
    v.odometer = Math.round((v.odometer + km) * 10) / 10;
    v.battery = v.status === 'charging' ? Math.min(100, v.battery + 3) : Math.max(3, v.battery - (moving ? 1 : 0));
    const ops: BatchOp[] = [
      { scope: GLOBAL_STATE, key: this.vehicleKey(v, 'location'), value: this.location(v) },
      { scope: GLOBAL_STATE, key: this.vehicleKey(v, 'battery_pct'), value: i(v.battery) },
    ];
    if (km > 0) ops.push({ scope: GLOBAL_STATE, key: this.vehicleKey(v, 'odometer_km'), value: d(v.odometer) });
    return ops;
  }

  private statusChange(): BatchOp[] {
    const v = this.pick(this.vehicles);
    v.status = v.battery < 20 ? 'charging' : this.pick(STATUSES);
    return [{ scope: GLOBAL_STATE, key: this.vehicleKey(v, 'status'), value: s(v.status) }];
  }

  private shiftChange(activity: number): BatchOp[] {
    const v = this.pick(this.vehicles);
    const key = this.vehicleKey(v, 'driver');
    if (v.driver === null && this.rnd() < 0.3 + 0.6 * activity) {
      v.driver = this.pick(DRIVERS);
      return [{ scope: GLOBAL_STATE, key, value: s(v.driver) }];
    }
    if (v.driver !== null) {
      v.driver = null;
      v.status = 'idle';
      return [
        { scope: GLOBAL_STATE, key, value: null },
        { scope: GLOBAL_STATE, key: this.vehicleKey(v, 'status'), value: s(v.status) },
      ];
    }
    return [];
  }

  private orderEvent(): BatchOp[] {
    const open = [...this.orders.entries()];
    if (open.length < 40 || (open.length < 120 && this.rnd() < 0.45)) {
      const id = `order/ORD-${this.nextOrder++}`;
      const vehicle = this.pick(this.vehicles);
      this.orders.set(id, { vehicle, state: 'assigned' });
      return [
        {
          scope: GLOBAL_STATE,
          key: id,
          value: map({ vehicle: s(vehicle.id), region: s(vehicle.region.id), state: s('assigned'), items: i(1 + Math.floor(this.rnd() * 5)) }),
        },
      ];
    }
    const [id, order] = this.pick(open);
    if (order.state === 'assigned') {
      order.state = 'picked-up';
      return [{ scope: GLOBAL_STATE, key: id, value: map({ vehicle: s(order.vehicle.id), region: s(order.vehicle.region.id), state: s('picked-up') }) }];
    }
    this.orders.delete(id);
    return [{ scope: GLOBAL_STATE, key: id, value: null }];
  }

  private regionCounters(): BatchOp[] {
    const r = this.pick(REGIONS);
    const active = this.vehicles.filter((v) => v.region === r && v.driver !== null).length;
    const open = [...this.orders.values()].filter((o) => o.vehicle.region === r).length;
    return [
      { scope: GLOBAL_STATE, key: `region/${r.id}/active_vehicles`, value: i(active) },
      { scope: GLOBAL_STATE, key: `region/${r.id}/open_orders`, value: i(open) },
      { scope: GLOBAL_STATE, key: `region/${r.id}/eta_p50_s`, value: d(Math.round(300 + this.rnd() * 900 + open * 20)) },
    ];
  }

  private flagChange(): BatchOp[] {
    const f = this.pick(this.flags);
    return [{ scope: FEATURE_FLAG, key: f.key, value: f.value() }];
  }

  private firmwareRollout(): BatchOp[] {
    this.firmwareWave = (this.firmwareWave + 1) % FIRMWARE.length;
    const version = FIRMWARE[this.firmwareWave];
    const ops: BatchOp[] = [{ scope: GLOBAL_STATE, key: 'app/build', value: s(`2024.${1 + this.firmwareWave}.${Math.floor(this.rnd() * 10)}`) }];
    for (const v of this.vehicles) {
      if (this.rnd() < 0.15) {
        v.firmware = version;
        ops.push({ scope: GLOBAL_STATE, key: this.vehicleKey(v, 'firmware'), value: s(version) });
      }
    }
    return ops;
  }
}

/** How busy the fleet is at a time of day (µs since the epoch, UTC): low at night, two peaks. */
export function activityAt(t: number): number {
  const hour = (t / 3_600_000_000) % 24;
  const peak = (h: number, width: number) => Math.exp(-((hour - h) ** 2) / (2 * width * width));
  return Math.min(1, 0.08 + 0.8 * peak(12, 2.5) + 0.6 * peak(18, 2));
}
