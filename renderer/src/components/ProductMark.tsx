import type { ReactElement } from 'react'

/** The product's logo mark (same drawing as resources/icon.png): a database with a backup badge. */
export function ProductMark({ size = 28 }: { size?: number }): ReactElement {
  return (
    <svg viewBox="0 0 64 64" width={size} height={size} aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="product-mark-bg" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#2f6fed" />
          <stop offset="1" stopColor="#1a3f9e" />
        </linearGradient>
      </defs>
      <rect x="2" y="2" width="60" height="60" rx="14" fill="url(#product-mark-bg)" />
      <path d="M17 19v24c0 3.3 6.7 6 15 6s15-2.7 15-6V19" fill="#ffffff" />
      <ellipse cx="32" cy="19" rx="15" ry="6" fill="#dbe7ff" />
      <path
        d="M17 27c0 3.3 6.7 6 15 6s15-2.7 15-6M17 35c0 3.3 6.7 6 15 6s15-2.7 15-6"
        fill="none"
        stroke="#2f6fed"
        strokeWidth="2.2"
      />
      <circle cx="46" cy="46" r="11" fill="#12a36b" stroke="#ffffff" strokeWidth="2.5" />
      <path
        d="M46 40.5v10M41.5 46.5l4.5 4.5 4.5-4.5"
        fill="none"
        stroke="#ffffff"
        strokeWidth="2.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
