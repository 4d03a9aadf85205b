import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** One column of a list: its header, and what each row shows under it. */
export type Column<T> = {
  header: string;
  cell: (row: T) => ReactNode;
  /** Numbers and money line up at the end of the cell. */
  numeric?: boolean;
};

/**
 * A list of rows as a table on wide screens and as cards on a phone: every cell carries its
 * column's header (`data-label`), which the stylesheet shows beside the value when rows stack.
 * The first column is the card's title.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  empty,
  caption,
}: {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  empty?: ReactNode;
  caption?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <table className="data">
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col" className={c.numeric ? "num" : undefined}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr className="empty-row">
            <td colSpan={columns.length} className="empty">
              {empty ?? t("common:no_results")}
            </td>
          </tr>
        ) : (
          rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.header} data-label={c.header} className={c.numeric ? "num" : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
