'use client';
import { useState } from 'react';
import { addToCart } from '../lib/cart';

export function AddToCart({ productId }: { productId: string }) {
  const [added, setAdded] = useState(0);
  return (
    <p>
      <button
        type="button"
        onClick={() => {
          addToCart(productId);
          setAdded(added + 1);
        }}
      >
        Add to cart
      </button>
      {added > 0 && <span> Added {added}.</span>}
    </p>
  );
}
