export function LiveBadge() {
  return <span className="badge live">Live</span>;
}
