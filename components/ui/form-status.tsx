/** The form's result, announced politely; kept in the DOM so screen readers hear changes. */
export function FormStatus({
  id,
  message,
  tone = 'error',
}: {
  id: string;
  message?: string | null;
  tone?: 'error' | 'ok';
}) {
  return (
    <p id={id} role="status" className={`form-status ${message ? tone : ''}`}>
      {message}
    </p>
  );
}
