/** @jsxRuntime automatic */
// (The pragma lets tools without this folder's vite.config, such as the repository's tests, compile the JSX.)
import { useState } from 'react';
import { Link, Route, Routes, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { useOrder, usePageView } from '@acme/symbiosys/react';
import { PRODUCTS, addToCart, orderById, placeOrder, productById, productFields, readCart } from './shop.js';
import { useSdkLog } from './sdk-log.js';

/** One page view per route change, with the product's fields on a product page: the README's React snippet. */
export function PageViews() {
  const { pathname, search } = useLocation();
  const product = productById(pathname.match(/^\/product\/([^/]+)$/)?.[1]);
  usePageView(pathname + search, product && productFields(product));
  return null;
}

function Home() {
  return (
    <ul>
      {PRODUCTS.map((p) => (
        <li key={p.product_id}>
          <Link to={`/product/${p.product_id}`}>{p.name}</Link>
        </li>
      ))}
    </ul>
  );
}

function Product() {
  const product = productById(useParams().id);
  const [added, setAdded] = useState(0);
  if (!product) return <p>No such product.</p>;
  return (
    <section>
      <h1>{product.name}</h1>
      <p>${(product.sale ?? product.price).toFixed(2)}</p>
      <button type="button" onClick={() => (addToCart(product.product_id), setAdded(added + 1))}>
        Add to cart
      </button>
      {added > 0 && <p>Added {added}.</p>}
    </section>
  );
}

function Cart() {
  const lines = Object.entries(readCart());
  return (
    <section>
      <h1>Cart</h1>
      <ul>
        {lines.map(([id, quantity]) => (
          <li key={id}>
            {productById(id)?.name} × {quantity}
          </li>
        ))}
      </ul>
      {lines.length > 0 && <Link to="/checkout">Checkout</Link>}
    </section>
  );
}

function Checkout() {
  const navigate = useNavigate();
  const submit = (event) => {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get('email');
    navigate(`/thank-you?order=${placeOrder(String(email ?? '').trim())}`);
  };
  return (
    <form onSubmit={submit}>
      <label>
        Email <input name="email" type="email" />
      </label>
      <button type="submit">Place order</button>
    </form>
  );
}

/** Tracks the order on arrival, once: StrictMode's second run sends nothing, a reload resolves as `dropped (duplicate)`. */
function ThankYou() {
  const orderId = useSearchParams()[0].get('order');
  const order = orderId ? orderById(orderId) : undefined;
  useOrder(order);
  return <h1>{order ? `Thank you for order ${order.order_id}` : 'No such order'}</h1>;
}

function SdkLog() {
  const lines = useSdkLog();
  return (
    <aside>
      <h2>What the SDK did</h2>
      <ol id="sdk-log">
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ol>
    </aside>
  );
}

/** The app inside a router (BrowserRouter in main.jsx, MemoryRouter in tests). */
export function AppRoutes() {
  return (
    <>
      <PageViews />
      <nav>
        <Link to="/">Home</Link> · <Link to="/cart">Cart</Link>
      </nav>
      <main>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/product/:id" element={<Product />} />
          <Route path="/cart" element={<Cart />} />
          <Route path="/checkout" element={<Checkout />} />
          <Route path="/thank-you" element={<ThankYou />} />
        </Routes>
      </main>
      <SdkLog />
    </>
  );
}
