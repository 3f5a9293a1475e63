import { CartLines } from '../../components/cart-lines';

export default function CartPage() {
  return (
    <section>
      <h1>Cart</h1>
      <CartLines />
    </section>
  );
}
