/** The sticky "N new update(s)" banner with Show, and the polite announcement (SPEC §4, §6). */
export function NewUpdatesBanner({
  count,
  announcement,
  onShow,
}: {
  count: number;
  announcement: string;
  onShow: () => void;
}) {
  return (
    <>
      <span className="visually-hidden" aria-live="polite">
        {announcement}
      </span>
      {/* A zero-height sticky anchor: the banner floats over the stream instead of pushing it down. */}
      <div className="new-updates-anchor">
        {count > 0 && (
          <div className="new-updates" role="status">
            <span>
              {count} new {count === 1 ? 'update' : 'updates'}
            </span>
            <button type="button" className="button primary" onClick={onShow}>
              Show
            </button>
          </div>
        )}
      </div>
    </>
  );
}
