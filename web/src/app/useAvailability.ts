// The signed-in user's availability for assignment (在岗 / 暂离): PUT /api/v1/me/availability.
// The server does not report the current value yet (neither /me nor /users carries it), so the
// last value set from this browser is remembered per user; "available" until then.
import { App } from 'antd';
import { useCallback, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { Availability } from '../api/types';
import { useApiError } from '../api/useApiError';
import { useAuth } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';

const key = (userId: string) => `lf.availability.${userId}`;

function stored(userId: string | undefined): Availability {
  if (!userId) return 'available';
  try {
    return window.localStorage.getItem(key(userId)) === 'away' ? 'away' : 'available';
  } catch {
    return 'available';
  }
}

export function useAvailability(): [Availability, (next: Availability) => Promise<void>] {
  const { me } = useAuth();
  const { t } = useI18n();
  const { message } = App.useApp();
  const showError = useApiError();
  const userId = me?.user.id;
  const [value, setValue] = useState<{ user?: string; a: Availability }>(() => ({ user: userId, a: stored(userId) }));
  const current = value.user === userId ? value.a : stored(userId);
  const set = useCallback(
    async (next: Availability) => {
      if (!userId) return;
      try {
        const r = await endpoints.setAvailability(next);
        try {
          window.localStorage.setItem(key(userId), r.availability);
        } catch {
          /* storage blocked: keep it for this page only */
        }
        setValue({ user: userId, a: r.availability });
        message.success(r.availability === 'away' ? t('availability.nowAway') : t('availability.nowAvailable'));
      } catch (e) {
        showError(e);
      }
    },
    [userId, message, t, showError],
  );
  return [current, set];
}
