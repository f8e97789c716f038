// Home: where to go (only the screens this person may use).
import { Home } from "../components/auth/Home.tsx";
import { ClientOnly } from "./providers.tsx";

export default function HomePage() {
  return (
    <ClientOnly>
      <Home />
    </ClientOnly>
  );
}
