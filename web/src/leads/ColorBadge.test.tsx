import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ColorBadge, isFunnelColor } from './ColorBadge';

describe('ColorBadge', () => {
  it('shows the Chinese funnel wording by default for each color', () => {
    const { container } = render(
      <>
        <ColorBadge value="red" />
        <ColorBadge value="yellow" />
        <ColorBadge value="green" />
      </>,
    );
    expect(screen.getByText('红色高意向')).toBeInTheDocument();
    expect(screen.getByText('黄色培育')).toBeInTheDocument();
    expect(screen.getByText('绿色低意向')).toBeInTheDocument();
    const colors = Array.from(container.querySelectorAll('[data-color]')).map((el) => el.getAttribute('data-color'));
    expect(colors).toEqual(['red', 'yellow', 'green']);
  });

  it('uses the schema label over the built-in wording, and English when asked', () => {
    render(<ColorBadge value="red" label="高意向(自定义)" />);
    expect(screen.getByText('高意向(自定义)')).toBeInTheDocument();
    render(<ColorBadge value="green" lang="en" />);
    expect(screen.getByText('Green · low intent')).toBeInTheDocument();
  });

  it('paints red, yellow and green differently', () => {
    const { container } = render(
      <>
        <ColorBadge value="red" />
        <ColorBadge value="yellow" />
        <ColorBadge value="green" />
      </>,
    );
    const dots = Array.from(container.querySelectorAll('.lf-color-badge > span[aria-hidden]')).map((el) => (el as HTMLElement).style.background);
    expect(new Set(dots).size).toBe(3);
  });

  it('compact mode keeps the label as tooltip and accessible name only', () => {
    const { container } = render(<ColorBadge value="yellow" compact />);
    expect(screen.queryByText('黄色培育')).toBeNull();
    expect(container.querySelector('[aria-label="黄色培育"]')).not.toBeNull();
  });

  it('renders nothing for an empty value and plain text for an unknown one', () => {
    const { container } = render(<ColorBadge value={null} />);
    expect(container).toBeEmptyDOMElement();
    render(<ColorBadge value="purple" />);
    expect(screen.getByText('purple')).toBeInTheDocument();
    expect(isFunnelColor('purple')).toBe(false);
    expect(isFunnelColor('red')).toBe(true);
  });
});
