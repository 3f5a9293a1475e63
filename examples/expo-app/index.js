import { registerRootComponent } from 'expo';
import App from './App.jsx';

registerRootComponent(App);
