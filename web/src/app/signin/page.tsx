import type { Metadata } from "next";
import { SignInForm } from "../../components/auth/SignInForm.tsx";
import { ClientOnly } from "../providers.tsx";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <ClientOnly>
      <SignInForm />
    </ClientOnly>
  );
}
