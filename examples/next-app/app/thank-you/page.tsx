import { Suspense } from 'react';
import { ThankYou } from '../../components/thank-you';

export default function ThankYouPage() {
  return (
    <Suspense fallback={<h1>Thank you</h1>}>
      <ThankYou />
    </Suspense>
  );
}
