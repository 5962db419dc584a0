// The header's 通知 bell: a badge with the notifications newer than the last ones the user opened
// (rule notify actions, 公海 reclaim warnings; GET /api/v1/me/notifications), and the list of them
// in a popover (a drawer on phones), each with its time, text and a link to its record. The shell
// refreshes the list when a live notification.created arrives (keys.notifications).
import { BellOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Drawer, Empty, Popover, Skeleton, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { endpoints } from '../api/endpoints';
import { keys, useSchema } from '../api/queries';
import type { InboxNotification } from '../api/types';
import { useIsMobile } from '../app/useIsMobile';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import { formatDateTime } from '../records/values';
import { INBOX_LIMIT, isUnread, nextSeen, notificationLink, parseSeen, seenStorageKey, unreadCount } from './inbox';

function readSeen(userId: string): number | null {
  try {
    return parseSeen(window.localStorage.getItem(seenStorageKey(userId)));
  } catch {
    return null;
  }
}

/** The last seen seq of `userId` in this browser, kept in step with the user's other tabs. */
function useSeen(userId: string): [number | null, (seq: number) => void] {
  const [seen, setSeenState] = useState<number | null>(() => (userId ? readSeen(userId) : null));
  useEffect(() => {
    setSeenState(userId ? readSeen(userId) : null);
    if (!userId) return;
    const onStorage = (e: StorageEvent) => {
      if (e.key === seenStorageKey(userId)) setSeenState(parseSeen(e.newValue));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [userId]);
  const setSeen = useCallback(
    (seq: number) => {
      setSeenState(seq);
      try {
        window.localStorage.setItem(seenStorageKey(userId), String(seq));
      } catch {
        // Storage full or blocked: the badge clears for this page only.
      }
    },
    [userId],
  );
  return [seen, setSeen];
}

export function NotificationBell() {
  const { t } = useI18n();
  const { me } = useAuth();
  const mobile = useIsMobile();
  const userId = me?.user.id ?? '';
  const list = useQuery({
    queryKey: [...keys.notifications, userId],
    queryFn: () => endpoints.notifications(INBOX_LIMIT),
    enabled: !!userId,
    select: (d) => d.items,
    staleTime: 30_000,
  });
  const [seen, setSeen] = useSeen(userId);
  const [open, setOpen] = useState(false);
  // What was seen when the inbox was opened: the newer ones are marked while it stays open.
  const [seenAtOpen, setSeenAtOpen] = useState<number | null>(null);
  const unread = unreadCount(list.data, seen);

  // Whatever the open inbox shows counts as seen (a notification arriving meanwhile too).
  useEffect(() => {
    if (!open || !list.data) return;
    const next = nextSeen(list.data, seen);
    if (next !== null && next !== seen) setSeen(next);
  }, [open, list.data, seen, setSeen]);

  const toggle = (next: boolean) => {
    if (next) {
      setSeenAtOpen(seen);
      void list.refetch();
    }
    setOpen(next);
  };

  const content = <InboxList items={list.data} loading={list.isLoading} failed={list.isError} lastSeen={seenAtOpen} onNavigate={() => setOpen(false)} />;
  const bell = (
    <Badge count={unread} size="small" offset={[-4, 4]}>
      <Button
        type="text"
        icon={<BellOutlined style={{ fontSize: 18 }} />}
        aria-label={unread ? t('inbox.unread', { n: unread }) : t('inbox.title')}
        title={t('inbox.title')}
        data-testid="inbox-bell"
        data-unread={unread}
        onClick={mobile ? () => toggle(true) : undefined}
      />
    </Badge>
  );
  if (mobile)
    return (
      <>
        {bell}
        <Drawer title={t('inbox.title')} placement="right" width="100%" open={open} onClose={() => toggle(false)} styles={{ body: { padding: 0 } }} data-testid="inbox-drawer">
          {content}
        </Drawer>
      </>
    );
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={toggle}
      title={<div style={{ padding: '4px 12px 0' }}>{t('inbox.title')}</div>}
      content={content}
      styles={{ body: { padding: '8px 0 4px' } }}
    >
      {bell}
    </Popover>
  );
}

function InboxList({ items, loading, failed, lastSeen, onNavigate }: { items?: InboxNotification[]; loading: boolean; failed: boolean; lastSeen: number | null; onNavigate: () => void }) {
  const { t, label } = useI18n();
  const mobile = useIsMobile();
  const schema = useSchema();
  const entityLabel = (name: string) => label(schema.data?.entities.find((e) => e.name === name), name);
  const body = loading ? (
    <div style={{ padding: 12 }}>
      <Skeleton active paragraph={{ rows: 3 }} />
    </div>
  ) : failed && !items ? (
    <div style={{ padding: 12 }}>
      <Alert type="error" showIcon message={t('inbox.loadFailed')} />
    </div>
  ) : !items?.length ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.empty')} style={{ padding: '16px 0' }} />
  ) : (
    items.map((n) => {
      const link = notificationLink(n);
      const fresh = isUnread(n, lastSeen);
      return (
        <div
          key={n.seq}
          data-testid="inbox-item"
          data-seq={n.seq}
          data-new={String(fresh)}
          style={{ padding: '10px 12px', borderBottom: '1px solid #f0f0f0', background: fresh ? '#f0f5ff' : undefined }}
        >
          <div style={{ display: 'flex', gap: 8, alignItems: 'baseline' }}>
            <Typography.Text strong style={{ flex: 1, minWidth: 0, wordBreak: 'break-word' }} data-testid="inbox-item-title">
              {n.title || t('inbox.untitled')}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {formatDateTime(n.at)}
            </Typography.Text>
          </div>
          {n.text && (
            <div style={{ fontSize: 13, color: 'rgba(0,0,0,.65)', whiteSpace: 'pre-wrap', wordBreak: 'break-word', marginTop: 2 }} data-testid="inbox-item-text">
              {n.text}
            </div>
          )}
          {(link || n.kind === 'pool_reclaim_warning' || n.caused_by?.rule_id) && (
            <Space size={8} wrap style={{ marginTop: 4, fontSize: 12 }}>
              {n.kind === 'pool_reclaim_warning' && (
                <Tag color="orange" style={{ marginInlineEnd: 0 }}>
                  {t('inbox.reclaimWarning')}
                </Tag>
              )}
              {n.caused_by?.rule_id && <Typography.Text type="secondary">{t('history.byRule', { name: n.caused_by.rule_name || n.caused_by.rule_id.slice(0, 8) })}</Typography.Text>}
              {link && (
                <Link to={link} onClick={onNavigate} data-testid="inbox-open">
                  {t('inbox.openRecord', { entity: entityLabel(n.entity ?? '') })}
                </Link>
              )}
            </Space>
          )}
        </div>
      );
    })
  );
  return (
    <div data-testid="inbox-list" style={mobile ? undefined : { width: 360, maxWidth: 'calc(100vw - 32px)', maxHeight: 440, overflowY: 'auto' }}>
      {body}
    </div>
  );
}
