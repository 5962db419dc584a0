// What an admin hands to whoever wires a channel to an intake source: the absolute intake URL, a
// curl example, a website embed snippet and the trade-show mobile form URL (for the QR code).
// Pure functions; the key is only known right after the source is created or its key rotated.

/** The absolute intake URL from the server's relative `intake_url` and the page's origin. */
export function absoluteIntakeUrl(origin: string, intakeUrl: string): string {
  if (/^https?:\/\//.test(intakeUrl)) return intakeUrl;
  return origin.replace(/\/+$/, '') + (intakeUrl.startsWith('/') ? '' : '/') + intakeUrl;
}

/** A shell-safe single-quoted string. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** curl -X POST <url> -H 'X-Intake-Key: <key>' -H 'Content-Type: application/json' -d '{…}' */
export function curlExample(url: string, key: string): string {
  const body = JSON.stringify({ name: '王女士', mobile: '13900139001', keyword: 'CRM' });
  return `curl -X POST ${url} -H ${shq(`X-Intake-Key: ${key}`)} -H 'Content-Type: application/json' -d ${shq(body)}`;
}

/** `url?key=…` (the form of the key that fits where no header can be set). */
export function urlWithKey(url: string, key: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}key=${encodeURIComponent(key)}`;
}

/** The SPA's public mobile form for a source: what the trade-show QR code opens. */
export function mobileFormUrl(origin: string, sourceId: string, key: string): string {
  return `${origin.replace(/\/+$/, '')}/intake/${encodeURIComponent(sourceId)}?key=${encodeURIComponent(key)}`;
}

/** Attribution keys a landing page's own URL may carry (Baidu, Ocean Engine, UTM). */
export const ATTRIBUTION_PARAMS = [
  'keyword',
  'bd_vid',
  'campaign',
  'plan',
  'unit',
  'promotion_id',
  'ad_id',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const;

/** A JS string literal that is also safe inside an HTML <script> element. */
function jsString(s: string): string {
  return JSON.stringify(s).replace(/</g, '\\u003c');
}

const EMBED_TEXT = {
  zh: { name: '您的称呼', phone: '手机号', company: '公司名称', need: '您的需求', submit: '提交', ok: '提交成功,我们会尽快联系您', fail: '提交失败,请稍后重试' },
  en: { name: 'Your name', phone: 'Mobile', company: 'Company', need: 'What do you need?', submit: 'Send', ok: 'Thank you, we will be in touch shortly', fail: 'Could not send, please try again' },
};

/**
 * A small self-contained HTML form for a website: posts JSON to the intake URL with ?key=, passes
 * the page's own ad parameters (keyword, bd_vid, utm_*…) along, and says thank you.
 */
export function embedSnippet(url: string, key: string, sourceId: string, lang: 'zh' | 'en' = 'zh'): string {
  const tx = EMBED_TEXT[lang];
  const id = `leadflow-${sourceId.replace(/[^A-Za-z0-9]/g, '').slice(-8) || 'form'}`;
  return `<form id="${id}" style="display:grid;gap:8px;max-width:360px">
  <input name="name" placeholder="${tx.name}" required>
  <input name="phone" type="tel" placeholder="${tx.phone}" required>
  <input name="company" placeholder="${tx.company}">
  <textarea name="core_need" placeholder="${tx.need}"></textarea>
  <button type="submit">${tx.submit}</button>
  <p role="status" hidden></p>
</form>
<script>
(function () {
  var form = document.getElementById(${jsString(id)});
  var note = form.querySelector('[role=status]');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var data = {};
    new FormData(form).forEach(function (v, k) { if (String(v).trim()) data[k] = String(v).trim(); });
    var q = new URLSearchParams(location.search);
    ${JSON.stringify(ATTRIBUTION_PARAMS)}.forEach(function (k) { if (q.get(k)) data[k] = q.get(k); });
    form.querySelector('button').disabled = true;
    fetch(${jsString(urlWithKey(url, key))}, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(data)
    }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      form.reset();
      note.textContent = ${jsString(tx.ok)};
    }).catch(function () {
      note.textContent = ${jsString(tx.fail)};
    }).then(function () {
      note.hidden = false;
      form.querySelector('button').disabled = false;
    });
  });
})();
</script>`;
}
