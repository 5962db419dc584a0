// 导入向导 (L10): upload a CSV (UTF-8 or GBK, detected) or XLSX → see the detected encoding and
// header → map columns to fields (suggested by name, label or common Chinese headers) and declare
// the zone of times without an offset → dry run with per-row errors (nothing written) → start →
// progress bar (GET /imports/{id} polled) → imported / duplicates / failed and the per-row error
// report as a CSV file. Route: /import?entity=leads.
import { CheckCircleOutlined, CloudUploadOutlined, DownloadOutlined, InboxOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Descriptions, Progress, Result, Select, Space, Statistic, Steps, Table, Tag, Typography, Upload } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { saveBlob } from '../api/client';
import { endpoints } from '../api/endpoints';
import { invalidateEntity, keys, useEntity } from '../api/queries';
import type { EntityDef, ImportDryRun, ImportRowError, ImportUpload } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useIsMobile } from '../app/useIsMobile';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import {
  duplicateTargets,
  errorColumn,
  errorFieldLabel,
  fileKind,
  importableFields,
  mappingBody,
  MAX_IMPORT_BYTES,
  needsTimeZone,
  offsetlessColumns,
  progressPercent,
  suggestMapping,
  zoneOptions,
} from './mapping';
import { HomeButton } from '../app/HomeButton';
import { templateCsv } from './template';

type Encoding = 'auto' | 'utf-8' | 'gbk';

export default function ImportPage() {
  const { t } = useI18n();
  const [search] = useSearchParams();
  const entityName = search.get('entity') || 'leads';
  const { entity, isLoading } = useEntity(entityName);
  if (isLoading) return null;
  if (!entity) return <Result status="404" title={t('error.unknownEntity', { name: entityName })} extra={<HomeButton />} />;
  return <ImportWizard key={entity.name} entity={entity} />;
}

function ImportWizard({ entity }: { entity: EntityDef }) {
  const { t, lang, label } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const [encoding, setEncoding] = useState<Encoding>('auto');
  const [upload, setUpload] = useState<ImportUpload | null>(null);
  const [filename, setFilename] = useState('');
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [zone, setZone] = useState<string | undefined>(undefined);
  const [dry, setDry] = useState<{ for: string; result: ImportDryRun } | null>(null);
  const [busy, setBusy] = useState<'upload' | 'dry' | 'start' | 'errors' | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  // Leads only: rows that name no 负责人 go to the assignment rules (else the 公海), not to me.
  const [distribute, setDistribute] = useState(false);
  const canDistribute = entity.name === 'leads';

  const fields = useMemo(() => importableFields(entity), [entity]);
  const columns = upload?.columns ?? [];
  const body = useMemo(() => mappingBody(mapping, zone), [mapping, zone]);
  const bodyKey = JSON.stringify(body);
  const dupes = duplicateTargets(mapping);
  const mappedCount = Object.values(mapping).filter(Boolean).length;
  const missingRequired = fields.filter((f) => f.required && !Object.values(mapping).includes(f.name));
  const offsetless = upload ? offsetlessColumns(columns, upload.sample ?? [], mapping, entity) : [];
  const dryFresh = dry && dry.for === bodyKey ? dry.result : null;

  const job = useQuery({
    queryKey: keys.importJob(jobId ?? ''),
    queryFn: () => endpoints.importJob(jobId as string),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data?.status === 'done' ? false : 700),
  });
  const done = job.data?.status === 'done';
  const step = jobId ? 3 : dryFresh ? 2 : upload ? 1 : 0;

  const doUpload = async (file: File) => {
    const kind = fileKind(file.name);
    if (!kind) {
      message.error(t('import.badType'));
      return;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      message.error(t('import.tooLarge'));
      return;
    }
    setBusy('upload');
    try {
      const up = await endpoints.uploadImport(entity.name, file, file.name, kind === 'csv' ? encoding : 'auto');
      setUpload(up);
      setFilename(file.name);
      setMapping(suggestMapping(up.columns, entity, up.suggested_mapping));
      setZone(undefined);
      setDry(null);
      setJobId(null);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  const dryRun = async () => {
    if (!upload) return;
    setBusy('dry');
    try {
      const result = await endpoints.importDryRun(upload.id, body);
      setDry({ for: bodyKey, result });
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  const start = async () => {
    if (!upload) return;
    setBusy('start');
    try {
      const j = await endpoints.startImport(upload.id, canDistribute && distribute ? { ...body, distribute: true } : body);
      qc.setQueryData(keys.importJob(j.id), j);
      setJobId(j.id);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  const downloadErrors = async () => {
    if (!jobId) return;
    setBusy('errors');
    try {
      const f = await endpoints.importErrors(jobId);
      saveBlob(f.blob, f.filename === 'import-errors.csv' ? `${filename.replace(/\.[^.]+$/, '')}-errors.csv` : f.filename);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(null);
    }
  };

  const reset = () => {
    setUpload(null);
    setMapping({});
    setDry(null);
    setJobId(null);
    setZone(undefined);
    if (done) void invalidateEntity(qc, entity.name);
  };

  const fieldOptions = [{ value: '', label: t('import.skip') }, ...fields.map((f) => ({ value: f.name, label: `${label(f, f.name)}${f.required ? ' *' : ''}` }))];
  const sampleOf = (index: number) =>
    (upload?.sample ?? [])
      .map((row) => row[index])
      .filter(Boolean)
      .slice(0, 3)
      .join(' · ');
  const fieldSelect = (column: string) => (
    <Select
      value={mapping[column] ?? ''}
      onChange={(v: string) => setMapping({ ...mapping, [column]: v })}
      options={fieldOptions}
      showSearch
      optionFilterProp="label"
      status={mapping[column] && dupes.includes(mapping[column]) ? 'error' : undefined}
      style={{ width: '100%', marginTop: mobile ? 4 : 0 }}
      data-testid="map-field"
    />
  );
  const errorColumns = [
    { key: 'row', title: t('import.row'), width: 70, render: (_: unknown, e: ImportRowError) => <span data-testid="import-error-row">{e.row}</span> },
    { key: 'column', title: t('import.column'), width: 120, render: (_: unknown, e: ImportRowError) => errorColumn(e, columns, mapping) || '—' },
    { key: 'field', title: t('import.field'), width: 110, render: (_: unknown, e: ImportRowError) => errorFieldLabel(e, entity, lang) },
    { key: 'detail', title: t('import.problem'), render: (_: unknown, e: ImportRowError) => <span data-testid="import-error-detail">{e.detail}</span> },
  ];

  return (
    <div data-testid="import-wizard" style={{ maxWidth: 1040 }}>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('import.title', { entity: label(entity, entity.name) })}
      </Typography.Title>
      <Steps
        size="small"
        current={step}
        responsive={false}
        style={{ marginBottom: 16 }}
        // A phone has room for the current step's name only.
        items={[t('import.step.upload'), t('import.step.map'), t('import.step.check'), t('import.step.run')].map((title, i) => ({ title: mobile && i !== step ? '' : title }))}
      />

      {!upload && (
        <Card size="small">
          <Space direction="vertical" style={{ width: '100%' }} size={12}>
            <Upload.Dragger
              accept=".csv,.txt,.xlsx"
              multiple={false}
              showUploadList={false}
              disabled={busy === 'upload'}
              beforeUpload={(file) => {
                void doUpload(file);
                return false;
              }}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">{busy === 'upload' ? <CloudUploadOutlined /> : <InboxOutlined />}</p>
              <p className="ant-upload-text">{busy === 'upload' ? t('import.uploading') : t('import.drop')}</p>
              <p className="ant-upload-hint">{t('import.dropHint')}</p>
            </Upload.Dragger>
            <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
              <Space wrap>
                <Typography.Text type="secondary">{t('import.encoding')}</Typography.Text>
                <Select<Encoding>
                  value={encoding}
                  onChange={setEncoding}
                  style={{ width: 200 }}
                  options={[
                    { value: 'auto', label: t('import.encoding.auto') },
                    { value: 'utf-8', label: 'UTF-8' },
                    { value: 'gbk', label: 'GBK / GB18030' },
                  ]}
                />
              </Space>
              <Button
                type="link"
                icon={<DownloadOutlined />}
                style={{ paddingInline: 0 }}
                onClick={() => saveBlob(new Blob([templateCsv(entity, lang)], { type: 'text/csv;charset=utf-8' }), t('import.templateName', { entity: label(entity, entity.name) }))}
                data-testid="import-template"
              >
                {t('import.template')}
              </Button>
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('import.templateHint')}
            </Typography.Text>
          </Space>
        </Card>
      )}

      {upload && !jobId && (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Card size="small" data-testid="import-file-info">
            <Descriptions
              size="small"
              column={mobile ? 1 : 4}
              items={[
                { key: 'file', label: t('import.file'), children: filename },
                { key: 'encoding', label: t('import.detectedEncoding'), children: <Tag color="blue" data-testid="import-encoding">{upload.encoding.toUpperCase()}</Tag> },
                { key: 'rows', label: t('import.rows'), children: <span data-testid="import-row-count">{upload.row_count}</span> },
                { key: 'cols', label: t('import.columns'), children: columns.length },
              ]}
            />
            <Button size="small" onClick={reset} style={{ marginTop: 4 }}>
              {t('import.another')}
            </Button>
          </Card>

          <Card size="small" title={t('import.mapTitle', { n: mappedCount, total: columns.length })}>
            {mobile ? (
              <div style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
                {columns.map((c, i) => (
                  <div key={c} data-testid="map-row" data-column={c} style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 8 }}>
                    <div style={{ display: 'flex', gap: 8, alignItems: 'baseline' }}>
                      <strong style={{ whiteSpace: 'nowrap' }}>{c}</strong>
                      <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, flex: 1, minWidth: 0 }}>
                        {sampleOf(i) || '—'}
                      </Typography.Text>
                    </div>
                    {fieldSelect(c)}
                  </div>
                ))}
              </div>
            ) : (
            <Table
              size="small"
              rowKey="column"
              pagination={false}
              scroll={{ x: 560 }}
              dataSource={columns.map((c, i) => ({ column: c, index: i }))}
              onRow={(r) => ({ 'data-testid': 'map-row', 'data-column': r.column }) as React.HTMLAttributes<HTMLElement>}
              columns={[
                { key: 'column', title: t('import.header'), width: 150, render: (_, r) => <strong>{r.column}</strong> },
                {
                  key: 'sample',
                  title: t('import.sample'),
                  render: (_, r) => (
                    <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
                      {sampleOf(r.index) || '—'}
                    </Typography.Text>
                  ),
                },
                {
                  key: 'field',
                  title: t('import.toField'),
                  width: 220,
                  render: (_, r) => fieldSelect(r.column),
                },
              ]}
            />
            )}
            {dupes.length > 0 && <Alert type="error" showIcon style={{ marginTop: 8 }} message={t('import.dupes', { fields: dupes.map((f) => label(entity.fields.find((x) => x.name === f), f)).join('、') })} />}
            {missingRequired.length > 0 && (
              <Alert type="warning" showIcon style={{ marginTop: 8 }} message={t('import.missingRequired', { fields: missingRequired.map((f) => label(f, f.name)).join('、') })} />
            )}
          </Card>

          <Card size="small" title={t('import.zoneTitle')}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text type="secondary">{t('import.zoneHelp')}</Typography.Text>
              <Select
                allowClear
                value={zone}
                onChange={(v?: string) => setZone(v || undefined)}
                placeholder={t('import.zoneNone')}
                options={zoneOptions(me?.tenant.time_zone).map((z) => ({ value: z, label: z === me?.tenant.time_zone ? `${z}(${t('import.companyZone')})` : z }))}
                style={{ width: mobile ? '100%' : 320 }}
                data-testid="import-zone"
              />
              {offsetless.length > 0 && !zone && (
                <Alert
                  type="warning"
                  showIcon
                  message={t('import.offsetless', { columns: offsetless.join('、') })}
                  action={
                    me?.tenant.time_zone ? (
                      <Button size="small" onClick={() => setZone(me.tenant.time_zone)} data-testid="import-zone-company">
                        {t('import.useZone', { zone: me.tenant.time_zone })}
                      </Button>
                    ) : undefined
                  }
                  data-testid="import-offsetless"
                />
              )}
            </Space>
          </Card>

          <Space wrap>
            <Button type="primary" onClick={() => void dryRun()} loading={busy === 'dry'} disabled={mappedCount === 0 || dupes.length > 0} data-testid="import-dry-run">
              {dry ? t('import.dryRunAgain') : t('import.dryRun')}
            </Button>
            {dry && !dryFresh && <Typography.Text type="secondary">{t('import.stale')}</Typography.Text>}
          </Space>

          {dryFresh && (
            <Card size="small" title={t('import.dryTitle')} data-testid="import-dry-result" data-valid={dryFresh.valid} data-invalid={dryFresh.invalid}>
              <Space size={mobile ? 16 : 40} wrap style={{ marginBottom: 12 }}>
                <Statistic title={t('import.total')} value={dryFresh.rows} />
                <Statistic title={t('import.valid')} value={dryFresh.valid} valueStyle={{ color: '#16a34a' }} />
                <Statistic title={t('import.invalid')} value={dryFresh.invalid} valueStyle={{ color: dryFresh.invalid ? '#dc2626' : undefined }} />
              </Space>
              {needsTimeZone(dryFresh) && !zone && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 12 }}
                  message={t('import.needZone')}
                  action={
                    me?.tenant.time_zone ? (
                      <Button size="small" onClick={() => setZone(me.tenant.time_zone)}>
                        {t('import.useZone', { zone: me.tenant.time_zone })}
                      </Button>
                    ) : undefined
                  }
                />
              )}
              {dryFresh.errors.length > 0 && (
                <>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                    {dryFresh.errors.length < dryFresh.invalid ? t('import.firstErrors', { n: dryFresh.errors.length }) : t('import.errorsHint')}
                  </Typography.Paragraph>
                  <Table
                    size="small"
                    rowKey={(e) => `${e.row}:${e.field}:${e.code}`}
                    dataSource={dryFresh.errors}
                    columns={errorColumns}
                    pagination={dryFresh.errors.length > 10 ? { pageSize: 10, size: 'small' } : false}
                    scroll={{ x: 600 }}
                    onRow={(e) => ({ 'data-testid': 'import-error', 'data-row': e.row }) as React.HTMLAttributes<HTMLElement>}
                    style={{ marginBottom: 12 }}
                  />
                </>
              )}
              {canDistribute && (
                <Checkbox checked={distribute} onChange={(e) => setDistribute(e.target.checked)} style={{ marginBottom: 12 }} data-testid="import-distribute">
                  {t('import.distribute')}
                </Checkbox>
              )}
              <Space wrap>
                <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => void start()} loading={busy === 'start'} disabled={dryFresh.valid === 0} data-testid="import-start">
                  {dryFresh.invalid ? t('import.startSkipping', { n: dryFresh.valid, bad: dryFresh.invalid }) : t('import.start', { n: dryFresh.valid })}
                </Button>
              </Space>
            </Card>
          )}
        </Space>
      )}

      {jobId && (
        <Card size="small" data-testid="import-progress" data-status={job.data?.status ?? 'running'}>
          <Space direction="vertical" style={{ width: '100%' }} size={12}>
            <Typography.Text strong>{done ? t('import.finished') : t('import.running')}</Typography.Text>
            <Progress percent={progressPercent(job.data ? { ...job.data, row_count: job.data.row_count ?? upload?.row_count } : undefined)} status={done ? (job.data?.failed ? 'normal' : 'success') : 'active'} data-testid="import-progress-bar" />
            <Space size={mobile ? 16 : 40} wrap>
              <Statistic title={t('import.processed')} value={job.data?.processed ?? 0} suffix={`/ ${job.data?.row_count ?? upload?.row_count ?? 0}`} />
              <Statistic title={t('import.imported')} value={job.data?.imported ?? 0} valueStyle={{ color: '#16a34a' }} prefix={<CheckCircleOutlined />} />
              <Statistic title={t('import.duplicates')} value={job.data?.duplicates ?? 0} />
              <Statistic title={t('import.failed')} value={job.data?.failed ?? 0} valueStyle={{ color: job.data?.failed ? '#dc2626' : undefined }} prefix={job.data?.failed ? <WarningOutlined /> : undefined} />
            </Space>
            {done && (
              <span data-testid="import-done" data-imported={job.data?.imported} data-failed={job.data?.failed} data-duplicates={job.data?.duplicates}>
                <Typography.Text>{t('import.summary', { imported: job.data?.imported ?? 0, failed: job.data?.failed ?? 0 })}</Typography.Text>
                {job.data?.duplicates ? <Typography.Text type="secondary"> {t('import.duplicatesNote', { n: job.data.duplicates })}</Typography.Text> : null}
              </span>
            )}
            <Space wrap>
              {done && !!job.data?.failed && (
                <Button icon={<DownloadOutlined />} onClick={() => void downloadErrors()} loading={busy === 'errors'} data-testid="import-errors-download">
                  {t('import.downloadErrors', { n: job.data.failed })}
                </Button>
              )}
              {done && (
                <Link to={`/${entity.name}`} onClick={() => void invalidateEntity(qc, entity.name)}>
                  <Button type="primary">{t('import.openList', { entity: label(entity, entity.name) })}</Button>
                </Link>
              )}
              {done && <Button onClick={reset}>{t('import.another')}</Button>}
            </Space>
          </Space>
        </Card>
      )}
    </div>
  );
}
