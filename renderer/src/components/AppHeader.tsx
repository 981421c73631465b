import type { ReactElement } from 'react'
import { ProductMark } from './ProductMark.tsx'

/** The top bar (banner landmark) with the product's name. */
export function AppHeader({ productName }: { productName: string }): ReactElement {
  return (
    <header className="app-header">
      <ProductMark />
      <span className="app-header-name">{productName}</span>
    </header>
  )
}
