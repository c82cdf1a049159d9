// Collects every invalid field of a request, then refuses it once with all of
// them: a partner fixes a request in one round trip, not one field at a time.
import { Code } from '@connectrpc/connect';
import { apiError, type Violation } from './errors.ts';
import { isUuid } from '../core/ids.ts';
import { hasHiddenCharacters, looksLikeLink } from '../core/text.ts';

export class Validator {
  readonly violations: Violation[] = [];
  legacyCode = 0;

  add(field: string, description: string, reason: string, legacyCode = 0): this {
    this.violations.push({ field, description, reason });
    if (legacyCode && !this.legacyCode) this.legacyCode = legacyCode;
    return this;
  }

  /** A required text of min..max characters once trimmed. Returns the trimmed text. */
  text(field: string, value: string, { min = 1, max = 200 }: { min?: number; max?: number } = {}): string {
    const trimmed = value.trim();
    if (trimmed.length === 0 && min > 0) this.add(field, 'is required', 'REQUIRED');
    else if (trimmed.length < min) this.add(field, `must be at least ${min} characters`, 'TOO_SHORT');
    else if (trimmed.length > max) this.add(field, `must be at most ${max} characters`, 'TOO_LONG');
    return trimmed;
  }

  /**
   * A required name that the platform puts in messages it sends (invitations):
   * as text(), and refused when it reads as a link or hides characters, so the
   * platform's sender cannot carry someone's phishing.
   */
  messageName(field: string, value: string, options: { min?: number; max?: number } = {}): string {
    const trimmed = this.text(field, value, options);
    if (hasHiddenCharacters(trimmed)) this.add(field, 'must not contain control, bidirectional or invisible characters', 'INVALID_CHARACTER');
    if (looksLikeLink(trimmed)) this.add(field, 'must not contain a link or web address (text like example.com)', 'LINK_NOT_ALLOWED');
    return trimmed;
  }

  /** An optional text: empty stays undefined. */
  optionalText(field: string, value: string | undefined, max: number): string | undefined {
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    if (trimmed.length > max) this.add(field, `must be at most ${max} characters`, 'TOO_LONG');
    return trimmed === '' ? undefined : trimmed;
  }

  pattern(field: string, value: string, re: RegExp, description: string): string {
    if (value === '') this.add(field, 'is required', 'REQUIRED');
    else if (!re.test(value)) this.add(field, description, 'INVALID_FORMAT');
    return value;
  }

  /** A required identifier (UUID). */
  id(field: string, value: string): string {
    if (value === '') this.add(field, 'is required', 'REQUIRED');
    else if (!isUuid(value)) this.add(field, `"${value}" is not a valid identifier (a UUID)`, 'INVALID_ID');
    return value.toLowerCase();
  }

  /** An optional identifier: empty is allowed. */
  optionalId(field: string, value: string): string | undefined {
    if (value === '') return undefined;
    return this.id(field, value);
  }

  check(reason = 'INVALID_ARGUMENT'): void {
    if (this.violations.length === 0) return;
    const summary = this.violations.map((v) => `${v.field} ${v.description}`).join('; ');
    throw apiError(Code.InvalidArgument, reason, `invalid request: ${summary}`, {
      violations: this.violations,
      legacyCode: this.legacyCode,
    });
  }
}

export function validate(): Validator {
  return new Validator();
}
