// The condition editor of a rule: rows of field / operator / value combined with 且 / 或, or the
// raw expression (text mode). Switching back to the builder happens only when the text reads as
// simple rows (ruleExpr.exprToRows); otherwise the editor stays in text mode and says why.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Input, InputNumber, Radio, Segmented, Select, Typography } from 'antd';
import { useMemo } from 'react';
import type { EntityDef, FieldDef } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import { UserSelect } from '../records/FieldInput';
import { useIsMobile } from '../app/useIsMobile';
import { condOpLabel, exprToRows, opNeedsValue, opsForField, opTakesList, rowsToExpr, type Conditions, type CondRow, type CondValue } from './ruleExpr';

/** Fields a condition may test: business fields and custom ones, tags, and the bookkeeping times. */
export function conditionFields(entity: EntityDef | undefined): FieldDef[] {
  if (!entity) return [];
  return entity.fields.filter((f) => !f.system || f.name === 'tags' || f.name === 'created_at' || f.name === 'updated_at');
}

export interface ConditionValue {
  textMode: boolean;
  conditions: Conditions;
  conditionText: string;
}

export function ConditionBuilder({
  entity,
  subject,
  value,
  onChange,
  error,
}: {
  entity: EntityDef | undefined;
  subject: string;
  value: ConditionValue;
  onChange: (next: ConditionValue) => void;
  error?: React.ReactNode;
}) {
  const { t, label, lang } = useI18n();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const fields = useMemo(() => conditionFields(entity), [entity]);
  const byName = useMemo(() => new Map(fields.map((f) => [f.name, f])), [fields]);
  const text = rowsToExpr(value.conditions, subject, fields);

  const setMode = (mode: string) => {
    if (mode === 'text' && !value.textMode) {
      onChange({ ...value, textMode: true, conditionText: text });
      return;
    }
    if (mode === 'builder' && value.textMode) {
      const rows = exprToRows(value.conditionText, subject, fields);
      if (!rows) {
        void message.warning(t('auto.cond.notSimple'));
        return;
      }
      onChange({ ...value, textMode: false, conditions: rows });
    }
  };
  const setRows = (rows: CondRow[]) => onChange({ ...value, conditions: { ...value.conditions, rows } });
  const setRow = (i: number, row: CondRow) => setRows(value.conditions.rows.map((r, j) => (j === i ? row : r)));

  return (
    <div data-testid="condition-editor">
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap', marginBottom: 8 }}>
        <Segmented
          value={value.textMode ? 'text' : 'builder'}
          onChange={(v) => setMode(String(v))}
          options={[
            { value: 'builder', label: <span data-testid="cond-mode-builder">{t('auto.cond.builder')}</span> },
            { value: 'text', label: <span data-testid="cond-mode-text">{t('auto.cond.text')}</span> },
          ]}
        />
        {!value.textMode && value.conditions.rows.length > 1 && (
          <Radio.Group
            size="small"
            optionType="button"
            value={value.conditions.join}
            onChange={(e) => onChange({ ...value, conditions: { ...value.conditions, join: e.target.value } })}
            options={[
              { value: 'and', label: <span data-testid="cond-join-and">{t('auto.cond.and')}</span> },
              { value: 'or', label: <span data-testid="cond-join-or">{t('auto.cond.or')}</span> },
            ]}
          />
        )}
      </div>
      {value.textMode ? (
        <Input.TextArea
          value={value.conditionText}
          onChange={(e) => onChange({ ...value, conditionText: e.target.value })}
          autoSize={{ minRows: 3, maxRows: 12 }}
          placeholder={`${subject}.channel == "douyin_form" and ${subject === 'lead' ? 'lead.first_touch == "book_demo"' : '…'}`}
          style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
          status={error ? 'error' : undefined}
          data-testid="cond-text"
          spellCheck={false}
        />
      ) : (
        <div style={{ display: 'grid', gap: 6 }}>
          {value.conditions.rows.length === 0 && <Typography.Text type="secondary">{t('auto.cond.always')}</Typography.Text>}
          {value.conditions.rows.map((row, i) => {
            const field = byName.get(row.field);
            const ops = opsForField(field);
            return (
              <div
                key={i}
                data-testid="cond-row"
                style={{
                  display: 'grid',
                  // Phones: field and operator on one line, the value under them.
                  gridTemplateColumns: mobile ? 'minmax(0, 1fr) minmax(0, 1fr) 32px' : 'minmax(120px, 1fr) minmax(110px, 160px) minmax(140px, 1.4fr) 32px',
                  gap: 6,
                  alignItems: 'start',
                  ...(mobile && i > 0 ? { borderTop: '1px dashed #e5e7eb', paddingTop: 6 } : {}),
                }}
              >
                <Select
                  id={`cond-field-${i}`}
                  style={{ width: '100%' }}
                  showSearch
                  optionFilterProp="label"
                  value={row.field || undefined}
                  placeholder={t('auto.cond.field')}
                  options={fields.map((f) => ({ value: f.name, label: label(f, f.name) }))}
                  onChange={(name: string) => {
                    const nf = byName.get(name);
                    const nops = opsForField(nf);
                    setRow(i, { field: name, op: nops.includes(row.op) ? row.op : nops[0], value: undefined });
                  }}
                  data-testid="cond-field"
                />
                <Select
                  id={`cond-op-${i}`}
                  style={{ width: '100%' }}
                  value={row.op}
                  options={ops.map((op) => ({ value: op, label: condOpLabel(op, lang) }))}
                  onChange={(op) => setRow(i, { ...row, op, value: opTakesList(op) !== opTakesList(row.op) ? undefined : row.value })}
                  data-testid="cond-op"
                />
                {mobile && <Button type="text" icon={<DeleteOutlined />} aria-label={t('auto.remove')} onClick={() => setRows(value.conditions.rows.filter((_, j) => j !== i))} data-testid="cond-remove" />}
                <div style={mobile ? { gridColumn: '1 / 3' } : undefined}>
                  {opNeedsValue(row.op) ? <ValueInput id={`cond-value-${i}`} field={field} row={row} onChange={(v) => setRow(i, { ...row, value: v })} /> : null}
                </div>
                {!mobile && <Button type="text" icon={<DeleteOutlined />} aria-label={t('auto.remove')} onClick={() => setRows(value.conditions.rows.filter((_, j) => j !== i))} data-testid="cond-remove" />}
              </div>
            );
          })}
          <div>
            <Button
              type="dashed"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setRows([...value.conditions.rows, { field: '', op: 'eq' }])}
              data-testid="cond-add"
            >
              {t('auto.cond.add')}
            </Button>
          </div>
          {text && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('auto.cond.preview')} <code data-testid="cond-preview">{text}</code>
            </Typography.Text>
          )}
        </div>
      )}
      {error}
    </div>
  );
}

function ValueInput({ id, field, row, onChange }: { id: string; field: FieldDef | undefined; row: CondRow; onChange: (v: CondValue) => void }) {
  const { t, label } = useI18n();
  const list = opTakesList(row.op);
  const v = row.value;
  if (row.op === 'days_gt' || row.op === 'days_lt')
    return <InputNumber id={id} min={0} precision={0} value={typeof v === 'number' ? v : undefined} onChange={(n) => onChange(n ?? 0)} addonAfter={t('auto.cond.days')} style={{ width: '100%' }} data-testid="cond-value" />;
  if (field?.type === 'enum' || field?.type === 'multi_enum')
    return (
      <Select
        id={id}
        style={{ width: '100%' }}
        mode={list ? 'multiple' : undefined}
        value={list ? (Array.isArray(v) ? v : []) : typeof v === 'string' ? v : undefined}
        onChange={(x: string | string[]) => onChange(x)}
        options={(field.options ?? []).map((o) => ({ value: o.value, label: label(o, o.value) }))}
        placeholder={t('auto.cond.value')}
        data-testid="cond-value"
      />
    );
  if (field?.type === 'user')
    return <UserSelect id={id} value={list ? (Array.isArray(v) ? v : []) : (v as string | undefined)} onChange={(x: unknown) => onChange(x as CondValue)} multiple={list} placeholder={t('auto.cond.value')} />;
  if (field?.type === 'bool')
    return (
      <Select
        id={id}
        style={{ width: '100%' }}
        value={typeof v === 'boolean' ? String(v) : undefined}
        onChange={(x: string) => onChange(x === 'true')}
        options={[
          { value: 'true', label: t('common.yes') },
          { value: 'false', label: t('common.no') },
        ]}
        data-testid="cond-value"
      />
    );
  if ((field?.type === 'number' || field?.type === 'money') && !list)
    return <InputNumber id={id} value={typeof v === 'number' ? v : undefined} onChange={(n) => onChange(n ?? null)} style={{ width: '100%' }} addonAfter={field.type === 'money' ? t('auto.cond.yuan') : undefined} data-testid="cond-value" />;
  if (list)
    return <Select id={id} style={{ width: '100%' }} mode="tags" value={Array.isArray(v) ? v : []} onChange={(x: string[]) => onChange(x)} tokenSeparators={[',', ',', '、']} placeholder={t('auto.cond.listHint')} open={false} data-testid="cond-value" />;
  const placeholder = field?.type === 'date' ? 'YYYY-MM-DD' : field?.type === 'datetime' ? '2026-03-01 09:00:00' : t('auto.cond.value');
  return <Input id={id} value={typeof v === 'string' || typeof v === 'number' ? String(v) : ''} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} data-testid="cond-value" />;
}
