// Home: where to go.
import Link from "next/link";

export default function Home() {
  return (
    <div className="home">
      <h1>StoreLite</h1>
      <p className="muted">Inventory and billing for small shops.</p>
      <ul className="home-cards">
        <li>
          <Link href="/pos" className="card-link">
            <strong>Point of sale</strong>
            <span>Search or scan items, take quantities, print the bill.</span>
          </Link>
        </li>
        <li>
          <Link href="/admin" className="card-link">
            <strong>Inventory</strong>
            <span>Add items, change prices, restock and count stock.</span>
          </Link>
        </li>
        <li>
          <Link href="/bills" className="card-link">
            <strong>Bills</strong>
            <span>Recent bills; open any invoice to reprint it.</span>
          </Link>
        </li>
        <li>
          <Link href="/agent" className="card-link">
            <strong>Assistant</strong>
            <span>Ask in plain words: add items, update stock, create bills.</span>
          </Link>
        </li>
      </ul>
    </div>
  );
}
