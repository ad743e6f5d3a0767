import Foundation
import WSOLCommands

exit(Entry.main())
