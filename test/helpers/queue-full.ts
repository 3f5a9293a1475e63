/**
 * The full-queue scenario, run against the persisted outbox in happy-dom
 * (test/delivery/outbox.test.ts) and in real Chromium
 * (test/browser/delivery.test.ts): a client with `maxQueueSize: 3`, offline,
 * tracks these events in turn.
 */
export const QUEUE_FULL = {
  maxQueueSize: 3,
  /** What is tracked, in order: the event and its key (order id or product id). */
  steps: [
    ['page_view', 'pv-1'],
    ['order', 'o-1'],
    ['page_view', 'pv-2'],
    ['order', 'o-2'], // full: pv-1 goes
    ['order', 'o-3'], // pv-2 goes
    ['order', 'o-4'], // only orders left: o-1, the oldest, goes
    ['page_view', 'pv-3'], // a page view never pushes out an order: it goes itself
  ] as ReadonlyArray<readonly ['page_view' | 'order', string]>,
  /** Each step's result status. */
  statuses: ['queued', 'queued', 'queued', 'queued', 'queued', 'queued', 'dropped'],
  /** What `onError` is told, in order: a `queue_full` for each dropped event. */
  dropped: [
    { code: 'queue_full', event: 'page_view' },
    { code: 'queue_full', event: 'page_view' },
    { code: 'queue_full', event: 'order' },
    { code: 'queue_full', event: 'page_view' },
  ],
  /** The keys left in the queue, delivered (once each) when the network returns. */
  kept: ['o-2', 'o-3', 'o-4'],
} as const;
