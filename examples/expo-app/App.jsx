// A screen view and an order from the device, to the local receiver
// (`npx symbiosys-receiver --key test-key`, plus `--host 10.0.2.2` for an
// Android emulator, which reaches this computer by that address).
import AsyncStorage from '@react-native-async-storage/async-storage';
import { useEffect, useState } from 'react';
import { AppState, Button, Platform, Text, View } from 'react-native';
import { SymbiosysAppClient, flushInBackground } from '@acme/symbiosys/react-native';

const symbiosys = new SymbiosysAppClient({
  apiKey: 'test-key',
  endpoint: Platform.OS === 'android' ? 'http://10.0.2.2:7878' : 'http://127.0.0.1:7878',
  storage: AsyncStorage,
  userAgent: `SymbiosysExample/1.0.0 (${Platform.OS} ${String(Platform.Version)})`,
  onError: (error) => console.warn('symbiosys', error.code, error.message),
});

export default function App() {
  const [orders, setOrders] = useState(0);

  useEffect(() => flushInBackground(symbiosys, AppState), []);
  useEffect(() => {
    symbiosys.track('page_view', { page_view_url: 'symbiosys-example://product/170830', product_id: '170830' });
  }, []);

  const buy = () => {
    const result = symbiosys.track('order', {
      order_id: `example-${Date.now()}`,
      items: [{ product_id: '170830', quantity: 1, regular_unit_price: 10 }],
      customer: { email: 'jane@example.com', country: 'US' },
    });
    if (result.status === 'queued') setOrders((count) => count + 1);
  };

  return (
    <View style={{ flex: 1, alignItems: 'center', justifyContent: 'center', gap: 16 }}>
      <Text>Product 170830</Text>
      <Button title="Buy" onPress={buy} />
      <Text>{orders} order(s) tracked; see them at http://127.0.0.1:7878</Text>
    </View>
  );
}
