import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** One column of a list: its header, and what each row shows under it. */
export type Column<T> = {
  /** Also the cell's label on a phone; an empty header (a column of buttons) shows no label. */
  header: string;
  cell: (row: T) => ReactNode;
  /** Numbers and money line up at the end of the cell. */
  numeric?: boolean;
  /** Content that needs a card's whole width (forms, several lines): on a phone its label stands above it. */
  wide?: boolean;
};

const cellClass = (c: { numeric?: boolean; wide?: boolean }) => [c.numeric && "num", c.wide && "wide"].filter(Boolean).join(" ") || undefined;

/**
 * A list of rows as a table on wide screens and as cards on a phone: every cell carries its
 * column's header (`data-label`), which the stylesheet shows beside the value when rows stack.
 * The first column is the card's title. Columns given as `false` are left out, so a column
 * only some users see reads `brandView && { … }`.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  empty,
  caption,
}: {
  columns: (Column<T> | false)[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string | number;
  empty?: ReactNode;
  caption?: ReactNode;
}) {
  const { t } = useTranslation();
  const shown = columns.filter((c): c is Column<T> => c !== false);
  return (
    <table className="data">
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          {shown.map((c, i) => (
            <th key={i} scope="col" className={cellClass(c)}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr className="empty-row">
            <td colSpan={shown.length} className="empty">
              {empty ?? t("common:no_results")}
            </td>
          </tr>
        ) : (
          rows.map((row, index) => (
            <tr key={rowKey(row, index)}>
              {shown.map((c, i) => (
                <td key={i} data-label={c.header} className={cellClass(c)}>
                  {/* One box per cell, so a cell of several pieces stays beside its label on a phone. */}
                  <div>{c.cell(row)}</div>
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
