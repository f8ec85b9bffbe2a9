import { useState, type DragEvent } from 'react';
import { useApp } from '../../state/appStore';

/** Desktop only: drop a store folder to open it (when the preload can grant dropped folders). */
export function DropZone() {
  const openDropped = useApp((s) => s.openDropped);
  const canDrop = useApp((s) => s.canDropFolder);
  const [over, setOver] = useState(false);
  if (!canDrop) return null;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void openDropped(file);
  };
  return (
    <div
      className={`dropzone ${over ? 'over' : ''}`}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      Drop a store folder here
    </div>
  );
}
