// The desktop list: an antd virtual Table (only visible rows are in the DOM), columns from the
// schema, server-side single-field sort, and a scroll-to-end callback for cursor paging.
import { Table, type TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { EntityDef, FieldDef, RecordData } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { FieldDisplay } from './FieldDisplay';
import { useReferenceMaps } from './references';
import { isColorEnum, listFields, titleField } from './schema';

export interface RecordTableProps {
  entity: EntityDef;
  rows: RecordData[];
  loading: boolean;
  /** "-created_at" style. */
  sort: string;
  onSort: (sort: string | undefined) => void;
  onEndReached: () => void;
  height: number;
  footer?: React.ReactNode;
  /** Row checkboxes (bulk actions): the selected ids and their setter. */
  selection?: { selected: string[]; onChange: (ids: string[]) => void };
}

function columnWidth(f: FieldDef, isTitle: boolean): number {
  if (isTitle) return 180;
  if (isColorEnum(f)) return 130;
  switch (f.type) {
    case 'datetime':
      return 150;
    case 'phone':
      return 160;
    case 'date':
    case 'money':
      return 140;
    case 'number':
    case 'bool':
      return 110;
    case 'user':
      return 100;
    case 'enum':
      return 120;
    default:
      return 170;
  }
}

export function RecordTable({ entity, rows, loading, sort, onSort, onEndReached, height, footer, selection }: RecordTableProps) {
  const { label } = useI18n();
  const navigate = useNavigate();
  const fields = useMemo(() => listFields(entity), [entity]);
  // Sorting on a field the reader gets masked is refused by the server: no sorter on it.
  const masked = useMemo(() => new Set(rows.flatMap((r) => r._masked ?? [])), [rows]);
  const refs = useReferenceMaps(fields, rows);
  const title = titleField(entity);
  const desc = sort.startsWith('-');
  const sortField = desc ? sort.slice(1) : sort;

  const columns = useMemo<TableProps<RecordData>['columns']>(
    () =>
      fields.map((f) => {
        const isTitle = f === title;
        return {
          key: f.name,
          dataIndex: f.name,
          title: <span data-testid={`col-${f.name}`}>{label(f, f.name)}</span>,
          width: columnWidth(f, isTitle),
          ellipsis: true,
          fixed: isTitle ? ('left' as const) : undefined,
          sorter: f.sortable !== false && f.type !== 'tags' && f.type !== 'multi_enum' && !masked.has(f.name),
          sortOrder: sortField === f.name ? (desc ? ('descend' as const) : ('ascend' as const)) : null,
          sortDirections: ['descend' as const, 'ascend' as const],
          render: (_: unknown, r: RecordData) =>
            isTitle ? (
              <Link to={`/${entity.name}/${encodeURIComponent(r.id)}`} data-testid="record-link" onClick={(e) => e.stopPropagation()}>
                {String(r[f.name] ?? r.id)}
              </Link>
            ) : (
              <FieldDisplay field={f} value={r[f.name]} refs={refs} compact masked={r._masked?.includes(f.name)} />
            ),
        };
      }),
    [fields, title, label, entity.name, refs, sortField, desc, masked],
  );
  const scrollX = useMemo(() => fields.reduce((s, f) => s + columnWidth(f, f === title), 0), [fields, title]);

  return (
    <Table<RecordData>
      virtual
      size="middle"
      rowKey="id"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      scroll={{ x: scrollX, y: height }}
      showSorterTooltip={false}
      footer={footer ? () => footer : undefined}
      rowSelection={
        selection
          ? {
              selectedRowKeys: selection.selected,
              onChange: (ids) => selection.onChange(ids.map(String)),
              columnWidth: 40,
              fixed: true,
            }
          : undefined
      }
      data-testid="record-table"
      onRow={(r) => ({
        onClick: (e) => {
          // A click on the row's checkbox cell selects; anywhere else opens the record.
          if ((e.target as HTMLElement).closest?.('.ant-table-selection-column')) return;
          navigate(`/${entity.name}/${encodeURIComponent(r.id)}`);
        },
        style: { cursor: 'pointer' },
      })}
      onChange={(_p, _f, sorter) => {
        const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<RecordData>;
        const key = String(s?.columnKey ?? '');
        if (!s?.order || !key) onSort(undefined);
        else onSort(s.order === 'descend' ? `-${key}` : key);
      }}
      onScroll={(e) => {
        const el = e.currentTarget as HTMLElement | null;
        if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 400) onEndReached();
      }}
    />
  );
}
