import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { renderWithProviders } from '../test/render';
import { LoginForm } from './LoginForm';
import { safeNext } from './LoginPage';

function setup(onSubmit = vi.fn().mockResolvedValue(undefined), lang: 'zh' | 'en' = 'zh') {
  const user = userEvent.setup({ delay: null });
  renderWithProviders(<LoginForm onSubmit={onSubmit} />, { lang });
  const email = document.getElementById('login_email') as HTMLInputElement;
  const password = document.getElementById('login_password') as HTMLInputElement;
  const submit = screen.getByTestId('login-submit');
  return { user, email, password, submit, onSubmit };
}

describe('LoginForm', () => {
  it('requires email and password before sending anything', async () => {
    const { user, submit, onSubmit } = setup();
    await user.click(submit);
    expect(await screen.findByText('请输入邮箱')).toBeInTheDocument();
    expect(await screen.findByText('请输入密码')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('rejects a malformed email', async () => {
    const { user, email, password, submit, onSubmit } = setup();
    await user.type(email, 'not-an-email');
    await user.type(password, 'demo1234');
    await user.click(submit);
    expect(await screen.findByText('邮箱格式不正确')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits the trimmed email and the password', async () => {
    const { user, email, password, submit, onSubmit } = setup();
    await user.type(email, '  admin@demo.leadflow.cn ');
    await user.type(password, 'demo1234');
    await user.click(submit);
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith('admin@demo.leadflow.cn', 'demo1234'));
  });

  it("shows the server's own reason when sign-in is refused", async () => {
    const refuse = vi.fn().mockRejectedValue(
      new ApiError({ status: 401, code: 'auth.invalid_credentials', detail: '邮箱或密码错误' }),
    );
    const { user, email, password, submit } = setup(refuse);
    await user.type(email, 'admin@demo.leadflow.cn');
    await user.type(password, 'wrong');
    await user.click(submit);
    expect(await screen.findByTestId('login-error')).toHaveTextContent('邮箱或密码错误');
  });

  it('marks the field a problem names', async () => {
    const refuse = vi.fn().mockRejectedValue(
      new ApiError({ status: 422, code: 'validation.required', detail: '邮箱和密码为必填字符串', field: 'password' }),
    );
    const { email, password, submit } = setup(refuse);
    fireEvent.change(email, { target: { value: 'a@b.cn' } });
    fireEvent.change(password, { target: { value: 'x' } });
    fireEvent.click(submit);
    await waitFor(() => expect(document.querySelector('#login_password_help')).toHaveTextContent('邮箱和密码为必填字符串'));
  });

  it('speaks English when the UI does', async () => {
    const { user, submit } = setup(undefined, 'en');
    await user.click(submit);
    expect(await screen.findByText('Enter your email')).toBeInTheDocument();
  });
});

describe('safeNext', () => {
  it('follows in-app paths only', () => {
    expect(safeNext('/leads/123?x=1')).toBe('/leads/123?x=1');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
