import { describe, expect, it } from 'vitest';
import { intakePayload } from './IntakeFormPage';

describe('intakePayload', () => {
  it('sends trimmed answers and the ad parameters of the QR code URL', () => {
    const search = new URLSearchParams('key=k&utm_campaign=expo2026&keyword=CRM&foo=bar');
    expect(intakePayload({ name: ' 王女士 ', phone: '13900139001', company: '', core_need: '线索管理' }, search)).toEqual({
      name: '王女士',
      phone: '13900139001',
      core_need: '线索管理',
      keyword: 'CRM',
      utm_campaign: 'expo2026',
    });
  });
});
