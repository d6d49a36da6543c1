import { BUSINESS_METRICS } from '@shop/observability';
import {
  EVAL_SECONDS,
  NS,
  OTHER_NS,
  firing,
  flat,
  sel,
  type AlertCase,
  type Series,
} from './alert-cases';

const INVENTORY = {
  namespace: NS,
  service: 'inventory-service',
  instance: '10.0.0.11:8080',
  job: 'shop/kafka-shop-services',
};

const LAST_SUCCESS = BUSINESS_METRICS.stockReconciliationLastSuccess.name;
const FAILURES = BUSINESS_METRICS.stockReconciliationFailures.name;
const ACCURACY = BUSINESS_METRICS.stockAccuracy.name;

const ratio = (value: number, labels = INVENTORY): Series => ({
  series: `${ACCURACY}${sel(labels)}`,
  values: flat(value),
});
/** A process started `minutes` before the evaluation. */
const startedAgo = (minutes: number, labels = INVENTORY): Series => ({
  series: `process_start_time_seconds${sel(labels)}`,
  values: flat(EVAL_SECONDS - minutes * 60),
});
/** Reconciliation succeeding every minute until `minute`, then never again. */
const succeededUntil = (minute: number, labels = INVENTORY): Series => ({
  series: `${LAST_SUCCESS}${sel(labels)}`,
  values: minute >= 30 ? '0+60x30' : `0+60x${minute} ${minute * 60}x${29 - minute}`,
});
const failures = (values: string, labels = INVENTORY): Series => ({
  series: `${FAILURES}${sel(labels)}`,
  values,
});

export function stockCases(): AlertCase[] {
  const ns = { namespace: NS };
  const healthy = [startedAgo(25), succeededUntil(30), failures(flat(0))];
  return [
    {
      name: 'a product stops reconciling',
      alertname: 'StockInaccurate',
      series: [...healthy, ratio(0.875)],
      alerts: firing(['critical'], ns, 0.875),
    },
    {
      name: 'every product reconciles',
      alertname: 'StockInaccurate',
      series: [...healthy, ratio(1)],
      alerts: [],
    },
    {
      name: 'stock inaccurate in one namespace only',
      alertname: 'StockInaccurate',
      series: [ratio(1), ratio(0.5, { ...INVENTORY, namespace: OTHER_NS })],
      alerts: firing(['critical'], { namespace: OTHER_NS }, 0.5),
    },
    {
      // Before the first success the ratio is absent: no reading is not a wrong reading.
      name: 'no reconciliation has succeeded yet, StockInaccurate',
      alertname: 'StockInaccurate',
      series: [startedAgo(25), failures('0+1x30')],
      alerts: [],
    },
    {
      name: 'reconciliation fails, the last ratio stays 1',
      alertname: 'StockInaccurate',
      series: [startedAgo(25), succeededUntil(5), failures('0x5 1+1x25'), ratio(1)],
      alerts: [],
    },
    {
      name: 'reconciliation succeeds every minute',
      alertname: 'StockReconciliationFailing',
      series: healthy,
      alerts: [],
    },
    {
      name: 'a reconciliation failed 4 minutes ago',
      alertname: 'StockReconciliationFailing',
      series: [startedAgo(25), succeededUntil(30), failures('0x21 1x9')],
      alerts: firing(['warning'], ns),
    },
    {
      name: 'the last failure is over 15 minutes old',
      alertname: 'StockReconciliationFailing',
      series: [startedAgo(25), succeededUntil(30), failures('0x5 1x25')],
      alerts: [],
    },
    {
      name: 'the last success is exactly 15 minutes old',
      alertname: 'StockReconciliationFailing',
      series: [startedAgo(25), succeededUntil(10), failures(flat(0))],
      alerts: firing(['warning'], ns),
    },
    {
      name: 'the last success is 14 minutes old',
      alertname: 'StockReconciliationFailing',
      series: [startedAgo(25), succeededUntil(11), failures(flat(0))],
      alerts: [],
    },
    {
      name: 'no success in a process running for 15 minutes',
      alertname: 'StockReconciliationFailing',
      series: [startedAgo(15), failures(flat(0))],
      alerts: firing(['warning'], ns),
    },
    {
      name: 'no success yet in a process running for 14 minutes',
      alertname: 'StockReconciliationFailing',
      series: [startedAgo(14), failures(flat(0))],
      alerts: [],
    },
    {
      name: 'reconciliation failing in one namespace only',
      alertname: 'StockReconciliationFailing',
      series: [
        ...healthy,
        startedAgo(25, { ...INVENTORY, namespace: OTHER_NS }),
        failures('0+1x30', { ...INVENTORY, namespace: OTHER_NS }),
      ],
      alerts: firing(['warning'], { namespace: OTHER_NS }),
    },
  ];
}
