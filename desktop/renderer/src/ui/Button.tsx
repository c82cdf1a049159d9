// A button that says why it cannot be used. With `disabledReason` it stays
// focusable (aria-disabled rather than disabled), ignores clicks, and shows
// the reason on hover and on keyboard focus; screen readers read it as the
// button's description. A plain `disabled` button says nothing, and cannot
// even be reached with Tab to find out.
import { useId, type ButtonHTMLAttributes, type MouseEvent } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Why it cannot be used now; when set, the button is disabled. */
  disabledReason?: string | false | undefined;
}

export function Button({ disabledReason, className = 'btn', onClick, children, type = 'button', ...rest }: ButtonProps) {
  const id = useId();
  if (!disabledReason) {
    return <button type={type} className={className} onClick={onClick} {...rest}>{children}</button>;
  }
  const ignore = (event: MouseEvent<HTMLButtonElement>) => event.preventDefault();
  return (
    <span className="has-reason">
      <button type={type === 'submit' ? 'button' : type} className={`${className} is-disabled`} aria-disabled="true"
        aria-describedby={id} onClick={ignore} {...rest}>{children}</button>
      <span role="tooltip" id={id} className="reason">{disabledReason}</span>
    </span>
  );
}
