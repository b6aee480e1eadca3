'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="page">
      <h1>Something went wrong</h1>
      <div className="error-box" role="alert">
        {error.message || 'The page failed to render.'}
        {error.digest ? <span className="muted small"> (reference {error.digest})</span> : null}
      </div>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
