import { describe, expect, it } from 'vitest';
import { formatPhone, isCheckablePhone, phoneDigits } from './phone';

describe('formatPhone', () => {
  it('groups a mainland mobile 3-4-4 after +86', () => {
    expect(formatPhone('+8613800138000')).toBe('+86 138 0013 8000');
  });
  it('splits mainland landlines after the area code', () => {
    expect(formatPhone('+861088886666')).toBe('+86 10 8888 6666');
    expect(formatPhone('+8657188886666')).toBe('+86 571 8888 6666');
    expect(formatPhone('+865718888666')).toBe('+86 571 888 8666');
  });
  it('groups Hong Kong, Taiwan and North American numbers', () => {
    expect(formatPhone('+85291234567')).toBe('+852 9123 4567');
    expect(formatPhone('+886912345678')).toBe('+886 912 345 678');
    expect(formatPhone('+12025550123')).toBe('+1 202 555 0123');
  });
  it('leaves anything that is not E.164 as it is', () => {
    expect(formatPhone('0571-8888 6666')).toBe('0571-8888 6666');
    expect(formatPhone('13800138000')).toBe('13800138000');
    expect(formatPhone('+4930123456')).toBe('+4930123456');
    expect(formatPhone('')).toBe('');
    expect(formatPhone(null)).toBe('');
  });
});

describe('isCheckablePhone', () => {
  it('waits for all 11 digits of a mainland mobile', () => {
    expect(isCheckablePhone('138 0013')).toBe(false);
    expect(isCheckablePhone('1380013800')).toBe(false);
    expect(isCheckablePhone('138 0013 8000')).toBe(true);
    expect(isCheckablePhone('+86 138-0013-8000')).toBe(true);
    expect(isCheckablePhone('+86 138 0013')).toBe(false);
  });
  it('takes 7 to 15 digits otherwise', () => {
    expect(isCheckablePhone('0571 8888')).toBe(true);
    expect(isCheckablePhone('021-123')).toBe(false);
    expect(isCheckablePhone('abc')).toBe(false);
  });
  it('keeps only digits and a leading +', () => {
    expect(phoneDigits(' +86 (138) 0013-8000 ')).toBe('+8613800138000');
  });
});
