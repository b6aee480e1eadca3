import { errorMessage } from '@/lib/queries/fetch-json';

/** A failed load or action: the title is the caller's (translated) sentence, the detail is the API's message. */
export function ErrorBox({ title, error }: { title: string; error: unknown }) {
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong> {errorMessage(error)}
    </div>
  );
}
