// /dashboard — 数据看板 (D1): 来源渠道 distribution, the 三色漏斗 with the share of red leads, and
// 响应时效 (average hours to the first follow-up, overall and per channel), over this week / this
// month / a custom range in the tenant's zone. Every number is a server summary
// (GET /leads/summary, access-scoped like the list); every slice, bar and legend row opens the lead
// list under the same filters. Lazy route: ECharts loads with this screen only.
import { Card, Col, DatePicker, Empty, Result, Row, Segmented, Skeleton, Space, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { isApiError } from '../api/client';
import type { ListQuery } from '../api/endpoints';
import { useEntity, useSummary } from '../api/queries';
import type { FieldDef } from '../api/types';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { EChart, type EChartOption } from '../records/EChart';
import { avgBars, dateRange, funnelShare, listUrl, percent, rangeFilters, round1, slices, type DateRange, type RangeKind } from './dashboard';

const FUNNEL_COLORS: Record<string, string> = { red: '#dc2626', yellow: '#d97706', green: '#16a34a', '': '#94a3b8' };
const PALETTE = ['#1d4ed8', '#0891b2', '#7c3aed', '#db2777', '#ea580c', '#65a30d', '#0d9488', '#9333ea', '#64748b'];

export default function DashboardPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const zone = me?.tenant.time_zone || 'Asia/Shanghai';
  const [kind, setKind] = useState<RangeKind>('month');
  const [custom, setCustom] = useState<{ from: string; to: string } | undefined>();
  const range = useMemo(() => dateRange(kind, zone, Date.now(), custom), [kind, zone, custom]);
  const { entity: leads, isLoading } = useEntity('leads');
  if (isLoading) return <Skeleton active />;
  if (!leads) return <Result status="404" title={t('error.unknownEntity', { name: 'leads' })} />;
  const field = (name: string) => leads.fields.find((f) => f.name === name);
  return (
    <div data-testid="dashboard-page">
      <div style={{ display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap', marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0, flex: 1 }}>
          {t('dash.title')}
        </Typography.Title>
        <Segmented
          value={kind}
          onChange={(v) => setKind(v as RangeKind)}
          options={[
            { value: 'week', label: <span data-testid="range-week">{t('dash.thisWeek')}</span> },
            { value: 'month', label: <span data-testid="range-month">{t('dash.thisMonth')}</span> },
            { value: 'custom', label: <span data-testid="range-custom">{t('dash.custom')}</span> },
          ]}
        />
        {kind === 'custom' && (
          <DatePicker.RangePicker
            value={custom ? [dayjs(custom.from), dayjs(custom.to)] : null}
            onChange={(v) => setCustom(v && v[0] && v[1] ? { from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') } : undefined)}
            allowClear={false}
            data-testid="range-picker"
          />
        )}
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: -4 }} data-testid="range-text">
        {t('dash.rangeText', { from: range.from, to: range.to, zone })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ChannelWidget range={range} channel={field('channel')} />
        </Col>
        <Col xs={24} lg={12}>
          <FunnelWidget range={range} color={field('color')} />
        </Col>
        <Col xs={24}>
          <ResponseWidget range={range} channel={field('channel')} />
        </Col>
      </Row>
    </div>
  );
}

function useOptionLabel(field: FieldDef | undefined): (v: string) => string {
  const { label } = useI18n();
  return useMemo(() => {
    const byValue = new Map((field?.options ?? []).map((o) => [o.value, o]));
    return (v: string) => label(byValue.get(v), v);
  }, [field, label]);
}

/** The API error of a summary in words (the endpoint may be missing on an older server). */
function SummaryError({ error }: { error: unknown }) {
  const { t } = useI18n();
  return <Result status="warning" title={t('dash.unavailable')} subTitle={isApiError(error) ? error.detail : String(error)} />;
}

/** Rows under a chart: each a link to the filtered lead list (also what keyboards and tests use). */
function Legend({ rows, testId }: { rows: { key: string; name: string; text: string; color?: string; to: string }[]; testId: string }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 14px', marginTop: 8 }}>
      {rows.map((r) => (
        <Link key={r.key || '∅'} to={r.to} data-testid={testId} data-key={r.key} style={{ fontSize: 13 }}>
          {r.color && <span style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 2, background: r.color, marginInlineEnd: 4 }} />}
          {r.name} <strong>{r.text}</strong>
        </Link>
      ))}
    </div>
  );
}

function ChannelWidget({ range, channel }: { range: DateRange; channel?: FieldDef }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const labelOf = useOptionLabel(channel);
  const query: ListQuery = { group_by: 'channel', ...rangeFilters(range) };
  const s = useSummary('leads', query, { live: false });
  const data = useMemo(() => slices(s.data, labelOf, t('records.unset')), [s.data, labelOf, t]);
  const to = (key: string) => listUrl('leads', { ...(key ? { 'channel[in]': key } : { 'channel[null]': 'true' }), ...rangeFilters(range) });
  const option = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      color: PALETTE,
      series: [{ type: 'pie', radius: ['35%', '65%'], data: data.map((d) => ({ name: d.name, value: d.value })), label: { formatter: '{b}\n{c}' } }],
    }),
    [data],
  );
  return (
    <Card size="small" title={t('dash.channels')} data-testid="widget-channels" extra={s.data ? t('common.total', { n: s.data.total }) : null}>
      {s.isLoading ? (
        <Skeleton active />
      ) : s.error ? (
        <SummaryError error={s.error} />
      ) : data.length === 0 ? (
        <Empty description={t('dash.noLeads')} />
      ) : (
        <>
          <EChart option={option} height={280} onClick={(p) => data[p.dataIndex] && navigate(to(data[p.dataIndex].key))} testId="chart-channels" />
          <Legend testId="channel-link" rows={data.map((d, i) => ({ key: d.key, name: d.name, text: String(d.value), color: PALETTE[i % PALETTE.length], to: to(d.key) }))} />
        </>
      )}
    </Card>
  );
}

function FunnelWidget({ range, color }: { range: DateRange; color?: FieldDef }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const labelOf = useOptionLabel(color);
  const s = useSummary('leads', { group_by: 'color', ...rangeFilters(range) }, { live: false });
  const f = useMemo(() => funnelShare(s.data), [s.data]);
  const bars = useMemo(
    () => (['red', 'yellow', 'green', ''] as const).map((k) => ({ key: k, name: k ? labelOf(k) : t('dash.noColor'), value: k ? f[k] : f.none })),
    [f, labelOf, t],
  );
  const to = (key: string) => listUrl('leads', { ...(key ? { 'color[in]': key } : { 'color[null]': 'true' }), ...rangeFilters(range) });
  const option = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.name) },
      series: [{ type: 'bar', data: bars.map((b) => ({ value: b.value, itemStyle: { color: FUNNEL_COLORS[b.key] } })), label: { show: true, position: 'right' } }],
    }),
    [bars],
  );
  return (
    <Card size="small" title={t('dash.funnel')} data-testid="widget-funnel">
      {s.isLoading ? (
        <Skeleton active />
      ) : s.error ? (
        <SummaryError error={s.error} />
      ) : (
        <>
          <Space size={32} wrap>
            <Link to={to('red')} data-testid="red-share-link">
              <Statistic title={t('dash.redShare')} value={percent(f.redShare)} valueStyle={{ color: FUNNEL_COLORS.red }} />
            </Link>
            <Statistic title={t('dash.redCount')} value={f.red} suffix={`/ ${f.total}`} />
          </Space>
          <EChart option={option} height={200} onClick={(p) => bars[p.dataIndex] && navigate(to(bars[p.dataIndex].key))} testId="chart-funnel" />
          <Legend testId="funnel-link" rows={bars.map((b) => ({ key: b.key, name: b.name, text: String(b.value), color: FUNNEL_COLORS[b.key], to: to(b.key) }))} />
        </>
      )}
    </Card>
  );
}

function ResponseWidget({ range, channel }: { range: DateRange; channel?: FieldDef }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const labelOf = useOptionLabel(channel);
  const base = { 'response_hours[null]': 'false', ...rangeFilters(range) };
  const s = useSummary('leads', { avg: 'response_hours', group_by: 'channel', ...base }, { live: false });
  const bars = useMemo(() => avgBars(s.data, labelOf, t('records.unset')), [s.data, labelOf, t]);
  const to = (key: string) => listUrl('leads', { ...(key ? { 'channel[in]': key } : { 'channel[null]': 'true' }), ...base });
  const option = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 32, top: 8, bottom: 24, containLabel: true },
      // The unit under the axis, centred: at the axis end it was cut off by the card's edge.
      xAxis: { type: 'value', name: t('dash.hours'), nameLocation: 'middle', nameGap: 24 },
      yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.name) },
      series: [{ type: 'bar', data: bars.map((b) => b.hours), itemStyle: { color: '#0891b2' }, label: { show: true, position: 'right' } }],
    }),
    [bars, t],
  );
  return (
    <Card size="small" title={t('dash.response')} data-testid="widget-response">
      {s.isLoading ? (
        <Skeleton active />
      ) : s.error ? (
        <SummaryError error={s.error} />
      ) : (
        <Row gutter={16}>
          <Col xs={24} md={6}>
            <Link to={listUrl('leads', { ...base, sort: '-response_hours' })} data-testid="response-link">
              <Statistic title={t('dash.avgResponse')} value={s.data?.avg === null || s.data?.avg === undefined ? '—' : round1(s.data.avg)} suffix={s.data?.avg === null ? undefined : t('dash.hoursUnit')} />
            </Link>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('dash.responseBasis', { n: s.data?.total ?? 0 })}
            </Typography.Text>
          </Col>
          <Col xs={24} md={18}>
            {bars.length === 0 ? (
              <Empty description={t('dash.noResponses')} />
            ) : (
              <>
                <EChart option={option} height={Math.max(160, bars.length * 32)} onClick={(p) => bars[p.dataIndex] && navigate(to(bars[p.dataIndex].key))} testId="chart-response" />
                <Legend testId="response-channel-link" rows={bars.map((b) => ({ key: b.key, name: b.name, text: `${b.hours ?? '—'} ${t('dash.hoursUnit')}`, to: to(b.key) }))} />
              </>
            )}
          </Col>
        </Row>
      )}
    </Card>
  );
}
