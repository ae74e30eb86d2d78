// /pipelines is the same list as the home page.
import { PipelinesPage } from "./pipelines-list";

export default function Page() {
  return <PipelinesPage />;
}
