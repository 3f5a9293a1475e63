import { CheckoutForm } from '../../components/checkout-form';

export default function CheckoutPage() {
  return (
    <section>
      <h1>Checkout</h1>
      <CheckoutForm />
    </section>
  );
}
