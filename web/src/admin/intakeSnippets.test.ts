import { afterEach, describe, expect, it, vi } from 'vitest';
import { absoluteIntakeUrl, curlExample, embedSnippet, mobileFormUrl, urlWithKey } from './intakeSnippets';

const URL_ = 'https://crm.example.cn/api/v1/intake/src-1';

describe('intake snippets', () => {
  it('makes the server’s relative intake URL absolute', () => {
    expect(absoluteIntakeUrl('https://crm.example.cn', '/api/v1/intake/src-1')).toBe(URL_);
    expect(absoluteIntakeUrl('https://crm.example.cn/', 'api/v1/intake/src-1')).toBe(URL_);
    expect(absoluteIntakeUrl('https://x', URL_)).toBe(URL_);
  });

  it('writes the curl example with the key header and a JSON body', () => {
    expect(curlExample(URL_, 'k3y')).toBe(
      `curl -X POST ${URL_} -H 'X-Intake-Key: k3y' -H 'Content-Type: application/json' -d '{"name":"王女士","mobile":"13900139001","keyword":"CRM"}'`,
    );
    expect(curlExample(URL_, "it's")).toContain(`-H 'X-Intake-Key: it'\\''s'`);
  });

  it('builds the QR code’s mobile form URL and ?key= URLs, key encoded', () => {
    expect(mobileFormUrl('https://crm.example.cn', 'src-1', 'a+b/c')).toBe('https://crm.example.cn/intake/src-1?key=a%2Bb%2Fc');
    expect(urlWithKey(URL_, 'k')).toBe(`${URL_}?key=k`);
    expect(urlWithKey(`${URL_}?x=1`, 'k')).toBe(`${URL_}?x=1&key=k`);
  });

  describe('website embed', () => {
    afterEach(() => {
      document.body.innerHTML = '';
      vi.unstubAllGlobals();
    });

    it('is a self-contained form that posts JSON to the intake URL with ?key= and the page’s ad parameters', async () => {
      const html = embedSnippet(URL_, 'k3y', 'src-1');
      expect(html).toContain('<form id="leadflow-src1"');
      expect(html).not.toMatch(/<\/script>[\s\S]*<\/script>/); // one script, closed once
      const fetchMock = vi.fn().mockResolvedValue(new Response('{"id":"l1","deduplicated":false}', { status: 201 }));
      vi.stubGlobal('fetch', fetchMock);
      window.history.replaceState(null, '', '/landing?utm_source=baidu&keyword=CRM%E7%B3%BB%E7%BB%9F&other=x');
      // Mount it as a web page would: markup, then run the script.
      document.body.innerHTML = html;
      const script = document.body.querySelector('script')!;
      new Function(script.textContent ?? '')();
      const form = document.querySelector('form')!;
      (form.querySelector('[name=name]') as HTMLInputElement).value = ' 王女士 ';
      (form.querySelector('[name=phone]') as HTMLInputElement).value = '13900139001';
      form.dispatchEvent(new Event('submit', { cancelable: true }));
      expect(fetchMock).toHaveBeenCalledTimes(1);
      const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
      expect(url).toBe(`${URL_}?key=k3y`);
      expect(init.method).toBe('POST');
      expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
      expect(JSON.parse(String(init.body))).toEqual({ name: '王女士', phone: '13900139001', keyword: 'CRM系统', utm_source: 'baidu' });
      await vi.waitFor(() => expect(form.querySelector('[role=status]')!.textContent).toBe('提交成功,我们会尽快联系您'));
    });

    it('escapes what would end the script early', () => {
      const html = embedSnippet('https://x/</script><b>', 'k', 's');
      expect(html.match(/<\/script>/g)).toHaveLength(1);
    });
  });
});
