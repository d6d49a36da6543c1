import type { DeadlineCutoffs } from '../../application/ports';
import { ORDER_COLUMNS } from './order-record';

/**
 * $1..$3: the cutoffs of PENDING, CONFIRMED and CANCELLING. An order was created no later than
 * its last move, so `created_at` below the latest cutoff narrows the search on the status index
 * before the history is read.
 */
const OVERDUE = (lastMove: string) => `status IN ('PENDING', 'CONFIRMED', 'CANCELLING')
  AND created_at < GREATEST($1::timestamptz, $2::timestamptz, $3::timestamptz)
  AND ${lastMove} < CASE status WHEN 'PENDING' THEN $1::timestamptz
                                WHEN 'CONFIRMED' THEN $2::timestamptz
                                ELSE $3::timestamptz END`;

/**
 * Overdue since their last move (announcing a cancel again is one, so a CANCELLING order is
 * reminded once per deadline), oldest first; rows another sweep holds are skipped. $4: how many.
 */
export const CLAIM_OVERDUE = `SELECT ${ORDER_COLUMNS} FROM orders
  WHERE ${OVERDUE(`(history -> -1 ->> 'at')::timestamptz`)}
  ORDER BY created_at LIMIT $4
  FOR UPDATE SKIP LOCKED`;

/** When the order entered its status: the last step that changed it (a reminder does not). */
const ENTERED_STATUS = `(SELECT max((h ->> 'at')::timestamptz) FROM jsonb_array_elements(history) AS h
  WHERE h ->> 'from' IS DISTINCT FROM h ->> 'to')`;

/** Overdue since they entered their status: a reminder in CANCELLING does not make it less late. */
export const COUNT_OVERDUE = `SELECT status, count(*) AS orders FROM orders
  WHERE ${OVERDUE(ENTERED_STATUS)}
  GROUP BY status`;

/** The same orders, longest in their status first. $4: how many. */
export const LIST_OVERDUE = `SELECT ${ORDER_COLUMNS} FROM orders
  WHERE ${OVERDUE(ENTERED_STATUS)}
  ORDER BY ${ENTERED_STATUS}, id LIMIT $4`;

export function cutoffParameters(cutoffs: DeadlineCutoffs): Date[] {
  return [cutoffs.PENDING, cutoffs.CONFIRMED, cutoffs.CANCELLING];
}
