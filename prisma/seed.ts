// The demo catalogue loaded on first start (and by `npm run seed -w @storelite/api`):
// a few dozen everyday items across grocery, utilities, beauty and garments.
export interface DemoItem {
  name: string;
  category: string;
  unit: string;
  unitPrice: string;
  stockQty: string;
  sku: string;
}

const rows: [string, string, string, string, string, string][] = [
  // name, category, unit, price, stock, sku
  ["Sugar", "Grocery", "kg", "160.00", "50.000", "GRO-SUGAR-1KG"],
  ["Flour (Atta)", "Grocery", "kg", "120.00", "80.000", "GRO-ATTA"],
  ["Flour (Maida)", "Grocery", "kg", "110.00", "40.000", "GRO-MAIDA"],
  ["Basmati Rice", "Grocery", "kg", "350.00", "60.000", "GRO-RICE-BAS"],
  ["Red Lentils (Masoor Dal)", "Grocery", "kg", "280.00", "25.000", "GRO-DAL-MAS"],
  ["Chickpeas", "Grocery", "kg", "240.00", "20.000", "GRO-CHANA"],
  ["Cooking Oil", "Grocery", "liter", "540.00", "45.000", "GRO-OIL-1L"],
  ["Milk", "Grocery", "liter", "210.00", "30.000", "GRO-MILK-1L"],
  ["Black Tea", "Grocery", "piece", "450.00", "36.000", "GRO-TEA-450G"],
  ["Salt", "Grocery", "kg", "60.00", "40.000", "GRO-SALT"],
  ["Eggs (dozen)", "Grocery", "piece", "330.00", "24.000", "GRO-EGGS-12"],
  ["Brown Sugar", "Grocery", "kg", "190.00", "3.500", "GRO-SUGAR-BRN"],
  ["Dish Soap", "Utilities", "piece", "180.00", "40.000", "UTL-DISHSOAP"],
  ["Laundry Detergent", "Utilities", "kg", "420.00", "30.000", "UTL-DETERGENT"],
  ["Bleach", "Utilities", "liter", "150.00", "18.000", "UTL-BLEACH"],
  ["Light Bulb 12W", "Utilities", "piece", "250.00", "50.000", "UTL-BULB-12W"],
  ["AA Batteries (4 pack)", "Utilities", "piece", "300.00", "4.000", "UTL-AA-4"],
  ["Matches", "Utilities", "piece", "10.00", "200.000", "UTL-MATCHES"],
  ["Garbage Bags (roll)", "Utilities", "piece", "220.00", "25.000", "UTL-BAGS"],
  ["Kerosene", "Utilities", "liter", "290.00", "12.000", "UTL-KEROSENE"],
  ["Shampoo Bottle", "Beauty", "piece", "650.00", "20.000", "BTY-SHAMPOO"],
  ["Bath Soap", "Beauty", "piece", "120.00", "60.000", "BTY-SOAP"],
  ["Toothpaste", "Beauty", "piece", "260.00", "35.000", "BTY-TOOTHPASTE"],
  ["Hair Oil", "Beauty", "liter", "900.00", "6.000", "BTY-HAIROIL"],
  ["Face Cream", "Beauty", "piece", "480.00", "3.000", "BTY-FACECREAM"],
  ["Lipstick", "Beauty", "piece", "750.00", "2.000", "BTY-LIPSTICK"],
  ["Nail Polish", "Beauty", "piece", "350.00", "4.000", "BTY-NAILPOLISH"],
  ["Cotton T-Shirt", "Garments", "piece", "1200.00", "30.000", "GAR-TSHIRT"],
  ["Denim Jeans", "Garments", "piece", "2800.00", "15.000", "GAR-JEANS"],
  ["Socks (pair)", "Garments", "piece", "250.00", "48.000", "GAR-SOCKS"],
  ["Scarf", "Garments", "piece", "900.00", "10.000", "GAR-SCARF"],
  ["Lawn Fabric", "Garments", "piece", "1500.00", "22.000", "GAR-LAWN"],
  ["Cotton Cloth (per meter)", "Garments", "piece", "450.00", "100.000", "GAR-CLOTH-M"],
  ["Baby Romper", "Garments", "piece", "1100.00", "2.000", "GAR-ROMPER"],
];

export const demoCatalogue: DemoItem[] = rows.map(([name, category, unit, unitPrice, stockQty, sku]) => ({
  name,
  category,
  unit,
  unitPrice,
  stockQty,
  sku,
}));
