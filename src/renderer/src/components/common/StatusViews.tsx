import type { ReactNode } from 'react';

export function Loading({ children, testId }: { children?: ReactNode; testId?: string }) {
  return (
    <div className="status status-loading" role="status" data-testid={testId ?? 'loading'}>
      <span className="spinner" aria-hidden="true" />
      {children ?? 'Loading…'}
    </div>
  );
}

export function ErrorBox({ message, onRetry, testId }: { message: string; onRetry?: () => void; testId?: string }) {
  return (
    <div className="status status-error" role="alert" data-testid={testId ?? 'error'}>
      <span>{message}</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="status status-empty" data-testid={testId ?? 'empty'}>
      {children}
    </div>
  );
}
