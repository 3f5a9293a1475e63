/**
 * Which fields each receiver endpoint takes, and which it requires, read off
 * the field table (`core/fields.ts`). The vendor document marks nothing as
 * required; the table requires what no event can be attributed without: its
 * time, visitor and session, and for an order its id and at least one item
 * with a product id and a quantity.
 */
import { FIELD_LIST, type EventName, type FieldName } from '../core/fields.js';

function requiredOf(event: EventName): readonly string[] {
  const fields = FIELD_LIST.filter((spec) => spec.required === true && spec[event] !== undefined).map(
    (spec) => spec.name,
  );
  return event === 'order' ? [...fields, 'items'] : fields;
}

export const REQUIRED_FIELDS: Readonly<Record<EventName, readonly string[]>> = {
  page_view: requiredOf('page_view'),
  order: requiredOf('order'),
};

/** Per item; in GET these are the `prodid` and `qty` lists, each slot filled. */
export const REQUIRED_ITEM_FIELDS: readonly FieldName[] = FIELD_LIST.filter((spec) => spec.item === 'required').map(
  (spec) => spec.name,
);

export function isRequired(event: EventName, field: string): boolean {
  return REQUIRED_FIELDS[event].includes(field);
}

export function isRequiredItemField(field: string): boolean {
  return (REQUIRED_ITEM_FIELDS as readonly string[]).includes(field);
}
