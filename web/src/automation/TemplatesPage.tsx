// /rules/templates: the shipped rule templates as cards (三色漏斗, 3 天未回复, 过程预警, 续约健康) —
// what each does, its rules' triggers and actions — installed in one click, then the rule list
// with the new rules highlighted.
import { CheckCircleOutlined, ClockCircleOutlined, DownloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { keys, useSchema } from '../api/queries';
import type { RuleTemplate } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { actionSummary, triggerSummary } from './ruleText';

export default function TemplatesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  if (!can('rules.manage')) return <Result status="403" title={t('auto.noPermission')} />;
  return <Gallery />;
}

function Gallery() {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useApiError();
  const schema = useSchema();
  const entities = schema.data?.entities ?? [];
  const templates = useQuery({ queryKey: keys.ruleTemplates, queryFn: endpoints.ruleTemplates, select: (d) => d.items });
  const rules = useQuery({ queryKey: keys.rules, queryFn: endpoints.rules, select: (d) => d.items });
  const [installing, setInstalling] = useState<string | null>(null);
  const installed = new Set((rules.data ?? []).map((r) => r.template_id).filter(Boolean));

  const install = async (tpl: RuleTemplate) => {
    setInstalling(tpl.id);
    try {
      const res = await endpoints.installTemplate(tpl.id);
      await qc.invalidateQueries({ queryKey: keys.rules });
      void message.success(t('auto.tpl.installed', { n: res.items.length }));
      navigate(`/rules?installed=${encodeURIComponent(res.items.map((r) => r.id).join(','))}`);
    } catch (e) {
      showError(e);
    } finally {
      setInstalling(null);
    }
  };

  return (
    <div data-testid="templates-page" style={{ maxWidth: 1200 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8 }}>
        <Link to="/rules">{t('auto.rules')}</Link>
        <span>/</span>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('auto.templates')}
        </Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t('auto.tpl.subtitle')}</Typography.Paragraph>
      {templates.isLoading ? (
        <Skeleton active />
      ) : (
        <Row gutter={[16, 16]}>
          {(templates.data ?? []).map((tpl) => (
            <Col key={tpl.id} xs={24} md={12} xl={8}>
              <Card
                data-testid="template-card"
                data-id={tpl.id}
                title={<span style={{ whiteSpace: 'normal' }}>{lang === 'en' ? tpl.name_en : tpl.name_zh}</span>}
                extra={tpl.needs_scheduler ? <Tag icon={<ClockCircleOutlined />}>{t('auto.tpl.scheduled')}</Tag> : null}
                actions={[
                  <Button
                    key="install"
                    type={installed.has(tpl.id) ? 'default' : 'primary'}
                    icon={installed.has(tpl.id) ? <CheckCircleOutlined /> : <DownloadOutlined />}
                    loading={installing === tpl.id}
                    onClick={() => void install(tpl)}
                    data-testid="template-install"
                  >
                    {installed.has(tpl.id) ? t('auto.tpl.installAgain') : t('auto.tpl.install')}
                  </Button>,
                ]}
                style={{ height: '100%' }}
              >
                {tpl.description && <Typography.Paragraph>{lang === 'en' && tpl.description_en ? tpl.description_en : tpl.description}</Typography.Paragraph>}
                <Space direction="vertical" size={8} style={{ width: '100%' }}>
                  {tpl.rules.map((r, i) => (
                    <div key={i} style={{ borderLeft: '3px solid #e5e7eb', paddingLeft: 8 }}>
                      <div>
                        <strong>{r.name}</strong>
                      </div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {triggerSummary(r.trigger, entities, lang)}
                      </Typography.Text>
                      <div style={{ marginTop: 4 }}>
                        {r.actions.map((a, j) => (
                          <Tag key={j} className="lf-wrap-tag" style={{ marginBottom: 4 }}>
                            {actionSummary(a, lang)}
                          </Tag>
                        ))}
                      </div>
                    </div>
                  ))}
                </Space>
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </div>
  );
}
